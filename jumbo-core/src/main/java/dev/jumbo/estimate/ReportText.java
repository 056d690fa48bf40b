package dev.jumbo.estimate;

import java.util.List;
import java.util.Locale;

/** The terminal rendering of a {@link Report}: sections of figures, the per-layer table, the plan table. */
public final class ReportText {

    private ReportText() {}

    public static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.title()).append('\n').append("=".repeat(Math.min(100, r.title().length()))).append('\n');
        for (Report.Section s : r.sections()) {
            sb.append('\n').append(s.title()).append('\n').append("-".repeat(s.title().length())).append('\n');
            int w = s.figures().stream().mapToInt(f -> f.label().length()).max().orElse(0);
            for (Report.Figure f : s.figures()) {
                sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %s%n", f.label(), value(f)));
            }
        }
        layers(sb, r.estimate());
        if (r.plan() != null) {
            plan(sb, r.plan());
        }
        return sb.toString();
    }

    static String value(Report.Figure f) {
        Object v = f.value();
        String unit = f.unit();
        if (v instanceof Number n && unit.equals("bytes")) {
            return String.format(Locale.ROOT, "%s bytes (%s)", number(v), human(n.doubleValue(), "B"));
        }
        if (v instanceof Number n && unit.equals("s")) {
            return String.format(Locale.ROOT, "%s s (%s)", number(v), duration(n.doubleValue()));
        }
        return number(v) + (unit.isEmpty() ? "" : " " + unit);
    }

    static String number(Object v) {
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", v);
        }
        if (v instanceof Double d) {
            double a = Math.abs(d);
            return a != 0 && (a >= 1e7 || a < 1e-3) ? String.format(Locale.ROOT, "%.4g", d)
                    : String.format(Locale.ROOT, a >= 100 ? "%,.1f" : "%.4g", d);
        }
        return String.valueOf(v);
    }

    /** 13.48 GB, 524.3 kB (decimal units, as datasheets use). */
    static String human(double v, String unit) {
        String[] p = {"", "k", "M", "G", "T", "P", "E"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < p.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f %s%s", v, p[i], unit);
    }

    static String duration(double s) {
        if (s < 1) {
            return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        if (s < 2 * 86400) {
            return String.format(Locale.ROOT, "%.1f hours", s / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", s / 86400);
    }

    private static void layers(StringBuilder sb, Estimate e) {
        String title = "Layers (batch " + e.batch() + (e.seq() > 0 ? ", sequence " + e.seq() : "")
                + "; a row marked xN stands for N identical blocks)";
        sb.append('\n').append(title).append('\n').append("-".repeat(title.length())).append('\n');
        int w = Math.max(5, e.rows().stream().mapToInt(x -> x.name().length()).max().orElse(5));
        int tw = Math.max(4, e.rows().stream().mapToInt(x -> x.type().length()).max().orElse(4));
        String fmt = "  %-" + w + "s  %-" + tw + "s  %5s  %-22s  %17s  %19s  %21s  %15s%n";
        sb.append(String.format(Locale.ROOT, fmt, "layer", "type", "count", "output shape", "params (each)", "fwd MACs (each)",
                "fwd FLOPs (each)", "output bytes"));
        for (LayerRow x : e.rows()) {
            sb.append(String.format(Locale.ROOT, fmt, x.name(), x.type(), "x" + x.count(), x.shapeString(),
                    number(x.params()), number(x.macs()), number(x.flops()), number(x.activationBytes())));
        }
        sb.append(String.format(Locale.ROOT, fmt, "total", "", "", "", number(e.paramsTotal()), number(e.macsForward()),
                number(e.flopsForwardAllOps()), ""));
    }

    /** Training time for the requested tokens, or the training throughput when none were given. */
    private static String speed(Planner.Plan p, Planner.Layout l) {
        return p.request().tokens() > 0 ? duration(l.seconds()) : number(l.tokensPerSecond()) + " tokens/s";
    }

    private static void plan(StringBuilder sb, Planner.Plan p) {
        HardwareProfile hw = p.request().hardware();
        String title = "Parallelism plan (" + hw.name() + ", " + Planner.gb(hw.memoryBytes()) + " per device)";
        sb.append('\n').append(title).append('\n').append("-".repeat(title.length())).append('\n');
        if (p.minDevices() > 0) {
            sb.append(String.format(Locale.ROOT, "  smallest device count that fits: %d (%s, %s per device, %s)%n",
                    p.minDevices(), p.bestAtMin().describe(), Planner.gb(p.bestAtMin().totalBytes()), speed(p, p.bestAtMin())));
        }
        if (!p.fits()) {
            sb.append("  ").append(p.reason()).append('\n');
            return;
        }
        sb.append(String.format(Locale.ROOT, "  chosen on %d devices: %s%n", p.best().devices(), p.best().describe()));
        List<Planner.Layout> rows = p.feasible().subList(0, Math.min(12, p.feasible().size()));
        String fmt = "  %-3s %-3s %-4s %-5s %-10s %10s %10s %10s %12s %10s %7s %14s%n";
        sb.append(String.format(Locale.ROOT, fmt, "TP", "PP", "DP", "ZeRO", "recompute", "weights", "grads", "optimizer",
                "activations", "total", "bubble", p.request().tokens() > 0 ? "training time" : "tokens/s"));
        for (Planner.Layout l : rows) {
            sb.append(String.format(Locale.ROOT, fmt, l.tp(), l.pp(), l.dp(), l.zero(), l.recompute().label() + (l.sequenceParallel() ? "+SP" : ""),
                    Planner.gb(l.weightsBytes()), Planner.gb(l.gradientsBytes()), Planner.gb(l.optimizerBytes()),
                    Planner.gb(l.activationsBytes()), Planner.gb(l.totalBytes()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * l.bubble()), speed(p, l)));
        }
        if (p.feasible().size() > rows.size()) {
            sb.append("  (").append(p.feasible().size() - rows.size()).append(" more feasible layouts; --json lists them all)\n");
        }
    }
}
