package dev.jumbo.serve;

import dev.jumbo.data.Dataset;
import dev.jumbo.data.FashionMnist;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regression gate a candidate model version must pass against its baseline before it takes
 * traffic (on load, when serve.json has a {@code "gate"}) and in {@code jumbo verify}: test accuracy
 * may drop by at most {@code maxAccuracyDrop}, argmax agreement with the baseline must reach
 * {@code minAgreement}, and time per example may be at most {@code maxLatencyRatio} times the
 * baseline's (median over batches of 64, both measured in the same run).
 *
 * <pre>{@code
 * RegressionGate.Result r = RegressionGate.run(candidate, baseline, RegressionGate.data("fashion-mnist", 1000),
 *         RegressionGate.Thresholds.defaults());
 * if (!r.passed()) System.out.println(r.failures());
 * }</pre>
 */
public final class RegressionGate {
    private static final int BATCH = 64;

    private RegressionGate() {}

    /** Thresholds; {@code limit} is how many test examples are used. */
    public record Thresholds(double maxAccuracyDrop, double minAgreement, double maxLatencyRatio, int limit) {
        public static Thresholds defaults() {
            return new Thresholds(0.01, 0.0, 3.0, 1000);
        }
    }

    /** What the gate measured and whether it passed; {@code failures} says which threshold each failure crossed. */
    public record Result(int examples, double candidateAccuracy, double baselineAccuracy, double agreement,
            double candidateMicrosPerExample, double baselineMicrosPerExample, boolean passed, List<String> failures) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("examples", examples);
            m.put("candidate_accuracy", candidateAccuracy);
            m.put("baseline_accuracy", baselineAccuracy);
            m.put("agreement", agreement);
            m.put("candidate_us_per_example", candidateMicrosPerExample);
            m.put("baseline_us_per_example", baselineMicrosPerExample);
            m.put("passed", passed);
            m.put("failures", failures);
            return m;
        }
    }

    /** The named evaluation data: {@code fashion-mnist} (its test split) is the one known now. */
    public static Dataset data(String name, int limit) {
        if (!name.equals("fashion-mnist")) {
            throw new IllegalArgumentException("gate: unknown data '" + name + "', expected fashion-mnist");
        }
        return FashionMnist.test(limit);
    }

    /** Runs both models over {@code data} and applies the thresholds. */
    public static Result run(ModelLoader.Loaded candidate, ModelLoader.Loaded baseline, Dataset data, Thresholds t) {
        int n = Math.min(data.size(), t.limit());
        int size = data.exampleSize();
        if (size != candidate.inputSize() || size != baseline.inputSize()) {
            throw new IllegalArgumentException("gate: data examples have shape " + Arrays.toString(data.exampleShape())
                    + " but the candidate takes " + Arrays.toString(candidate.inputShape()) + " and the baseline "
                    + Arrays.toString(baseline.inputShape()));
        }
        int correctC = 0;
        int correctB = 0;
        int agree = 0;
        List<Long> timesC = new ArrayList<>();
        List<Long> timesB = new ArrayList<>();
        for (int from = 0; from < n; from += BATCH) {
            int rows = Math.min(BATCH, n - from);
            float[] x = new float[rows * size];
            for (int i = 0; i < rows; i++) {
                data.read(from + i, x, i * size);
            }
            long t0 = System.nanoTime();
            float[] yb = baseline.run(x, rows);
            long t1 = System.nanoTime();
            float[] yc = candidate.run(x, rows);
            long t2 = System.nanoTime();
            timesB.add((t1 - t0) / rows);
            timesC.add((t2 - t1) / rows);
            int kb = yb.length / rows;
            int kc = yc.length / rows;
            for (int i = 0; i < rows; i++) {
                int pb = argmax(yb, i * kb, kb);
                int pc = argmax(yc, i * kc, kc);
                int label = data.label(from + i);
                correctB += pb == label ? 1 : 0;
                correctC += pc == label ? 1 : 0;
                agree += pb == pc ? 1 : 0;
            }
        }
        double accC = (double) correctC / n;
        double accB = (double) correctB / n;
        double agreement = (double) agree / n;
        double usC = median(timesC) / 1e3;
        double usB = median(timesB) / 1e3;
        List<String> failures = new ArrayList<>();
        if (accC < accB - t.maxAccuracyDrop()) {
            failures.add(String.format("accuracy %.4f < baseline %.4f - %.4f", accC, accB, t.maxAccuracyDrop()));
        }
        if (agreement < t.minAgreement()) {
            failures.add(String.format("agreement with baseline %.4f < %.4f", agreement, t.minAgreement()));
        }
        if (usC > usB * t.maxLatencyRatio()) {
            failures.add(String.format("latency %.1f us/example > %.1f x baseline %.1f", usC, t.maxLatencyRatio(), usB));
        }
        return new Result(n, accC, accB, agreement, usC, usB, failures.isEmpty(), List.copyOf(failures));
    }

    private static double median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
        return a.length == 0 ? 0 : a[a.length / 2];
    }

    private static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
