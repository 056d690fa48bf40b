package dev.jumbo.estimate;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched) with the report's
 * figures and two per-layer bar charts: forward MACs and parameters of each row (× its count).
 */
public final class ReportHtml {

    private ReportHtml() {}

    public static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(r.title())).append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:2px 10px;text-align:left}"
                        + "td.n{text-align:right;font-variant-numeric:tabular-nums}h2{margin-top:1.5em}"
                        + "svg text{font:11px system-ui,sans-serif}</style></head><body>\n");
        sb.append("<h1>").append(esc(r.title())).append("</h1>\n");
        for (Report.Section s : r.sections()) {
            sb.append("<h2>").append(esc(s.title())).append("</h2>\n<table>\n");
            for (Report.Figure f : s.figures()) {
                sb.append("<tr><td>").append(esc(f.label())).append("</td><td class=\"n\">")
                        .append(esc(ReportText.value(f))).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        Estimate e = r.estimate();
        sb.append("<h2>Forward MACs per layer (batch ").append(e.batch()).append(", sequence ").append(e.seq())
                .append("; 1 MAC = 2 FLOPs; rows marked &times;N sum N identical blocks)</h2>\n");
        chart(sb, e.rows(), LayerRow::totalMacs, "#3b6ea8");
        sb.append("<h2>Parameters per layer</h2>\n");
        chart(sb, e.rows(), LayerRow::totalParams, "#c0703a");
        if (r.plan() != null) {
            sb.append("<h2>Parallelism plan</h2>\n<pre>").append(esc(planText(r))).append("</pre>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String planText(Report r) {
        String all = ReportText.render(new Report(r.title(), r.estimate(), List.of(), r.plan()));
        int i = all.indexOf("Parallelism plan");
        return i < 0 ? "" : all.substring(i);
    }

    private static void chart(StringBuilder sb, List<LayerRow> rows, ToDoubleFunction<LayerRow> value, String color) {
        double max = rows.stream().mapToDouble(value).max().orElse(0);
        int label = 330;
        int width = 560;
        int rowH = 18;
        int h = rows.size() * rowH + 10;
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">%n",
                label + width + 160, h));
        for (int i = 0; i < rows.size(); i++) {
            LayerRow x = rows.get(i);
            double v = value.applyAsDouble(x);
            double w = max > 0 ? width * v / max : 0;
            int y = i * rowH + 4;
            String name = x.name() + (x.count() > 1 ? " \u00d7" + x.count() : "");
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", label - 6, y + 12, esc(name)));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    label, y, w, rowH - 4, color, esc(name + ": " + ReportText.number((long) v))));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", label + w + 4, y + 12,
                    esc(ReportText.human(v, ""))));
        }
        sb.append("</svg>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
