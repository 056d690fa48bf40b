package dev.jumbo.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.bench.Conformance.Case;
import dev.jumbo.bench.Conformance.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every engine op that PyTorch has (through DJL) on the same random inputs in Jumbo and in
 * PyTorch, and compares forward values and input gradients: tinygrad's {@code helper_test_op}.
 * Prints one row per case (op, case, max abs diff forward and gradient, tolerance, PASS/FAIL);
 * ops PyTorch lacks are listed as "no peer". Exit code 0 only when every compared case passes.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
 *      -jar jumbo-bench/target/jumbo-bench.jar conformance --op conv2d --json
 * </pre>
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Forward values and gradients of Jumbo ops vs PyTorch (DJL) on the same random inputs.")
public final class ConformanceBench implements Callable<Integer> {

    @Option(names = "--op", split = ",", description = "Only these ops (e.g. conv2d,softmax). Default: all.")
    List<String> ops;

    @Option(names = "--seed", description = "Seed of the random inputs. Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    @Option(names = "--json", description = "Print the rows as a JSON array on the last stdout line.")
    boolean json;

    /** Every case, math first; the order of the table. */
    static List<Case> cases() {
        List<Case> all = new ArrayList<>(ConformanceMathCases.all());
        all.addAll(ConformanceNnCases.all());
        return all;
    }

    @Override
    public Integer call() throws Exception {
        List<Case> selected = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (Case c : cases()) {
            known.add(c.op());
            if (ops == null || ops.contains(c.op())) {
                selected.add(c);
            }
        }
        if (selected.isEmpty()) {
            System.err.println("conformance: --op " + String.join(",", ops) + ": no such op, expected one of "
                    + String.join(", ", known));
            return 2;
        }
        configurePyTorch();
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            JniUtils.setNumThreads(1);
            for (int i = 0; i < selected.size(); i++) {
                Case c = selected.get(i);
                Row r = Conformance.run(c, manager, seed);
                rows.add(r);
                String verdict = r.pass() == null ? "no peer" : r.pass() ? "ok" : "FAIL " + r.note();
                System.err.printf("conformance: [%d/%d] %s %s: %s%n", i + 1, selected.size(), c.op(), c.label(), verdict);
            }
        }
        print(rows);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(rows.stream().map(ConformanceBench::json).toList()));
        }
        return rows.stream().allMatch(r -> r.pass() == null || r.pass()) ? 0 : 1;
    }

    /** Offline, with the native library unpacked under target/. */
    private static void configurePyTorch() {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", Path.of("jumbo-bench", "target", "djl-cache").toAbsolutePath().toString());
        }
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void print(List<Row> rows) {
        int w = 30;
        for (Row r : rows) {
            w = Math.max(w, r.label().length());
        }
        String fmt = "%-18s %-" + w + "s %12s %12s %9s  %s%n";
        System.out.printf(fmt, "op", "case", "fwd maxdiff", "grad maxdiff", "tol", "result");
        Set<String> opsCompared = new LinkedHashSet<>();
        Set<String> opsWithout = new LinkedHashSet<>();
        int compared = 0;
        int failed = 0;
        for (Row r : rows) {
            String result = r.pass() == null ? "no peer" : r.pass() ? "PASS" : "FAIL" + (r.note().isEmpty() ? "" : " (" + r.note() + ")");
            System.out.printf(fmt, r.op(), r.label(), num(r.forwardDiff()), num(r.gradDiff()), num(r.tol()), result);
            if (r.pass() == null) {
                opsWithout.add(r.op());
            } else {
                opsCompared.add(r.op());
                compared++;
                failed += r.pass() ? 0 : 1;
            }
        }
        System.out.printf("%d ops, %d cases compared with PyTorch: %s; %d without a peer%s%n", opsCompared.size(),
                compared, failed == 0 ? "all pass" : failed + " FAIL", opsWithout.size(),
                opsWithout.isEmpty() ? "" : " (" + String.join(", ", opsWithout) + ")");
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format("%.2e", v);
    }

    private static Map<String, Object> json(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", r.op());
        m.put("case", r.label());
        m.put("forward_max_abs_diff", r.forwardDiff());
        m.put("grad_max_abs_diff", r.gradDiff());
        m.put("tolerance", r.tol());
        m.put("pass", r.pass());
        if (!r.note().isEmpty()) {
            m.put("note", r.note());
        }
        return m;
    }
}
