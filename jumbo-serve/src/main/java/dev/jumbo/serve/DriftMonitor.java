package dev.jumbo.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches one model version's inputs and predictions for drift. The first {@code window} examples it
 * sees after loading are the reference; after that the last {@code window} examples are compared with
 * it: per feature PSI (threshold {@link #PSI_THRESHOLD}) and the KS test, and Jensen-Shannon
 * divergence of the predicted-class distribution. Inputs with more than {@link #MAX_FEATURES}
 * elements (images) are summarized per example by their mean and standard deviation.
 */
public final class DriftMonitor {
    public static final double PSI_THRESHOLD = 0.1;
    static final int MAX_FEATURES = 32;
    private static final int BINS = 10;

    private final int window;
    private final int features;
    private final int classes;
    private final boolean summarize;
    private final double[][] reference;
    private final double[][] current;
    private final int[] refClass;
    private final int[] curClass;
    private long seen;

    DriftMonitor(int inputSize, int outputSize, int window) {
        this.window = window;
        this.summarize = inputSize > MAX_FEATURES;
        this.features = summarize ? 2 : inputSize;
        this.classes = outputSize;
        this.reference = new double[features][window];
        this.current = new double[features][window];
        this.refClass = new int[window];
        this.curClass = new int[window];
    }

    /** Records {@code rows} examples: their inputs and model outputs, row-major. */
    synchronized void record(float[] input, float[] output, int rows) {
        int in = input.length / rows;
        int out = output.length / rows;
        for (int r = 0; r < rows; r++) {
            boolean ref = seen < window;
            int slot = (int) (ref ? seen : (seen - window) % window);
            double[][] dst = ref ? reference : current;
            if (summarize) {
                double sum = 0;
                double sq = 0;
                for (int i = 0; i < in; i++) {
                    double v = input[r * in + i];
                    sum += v;
                    sq += v * v;
                }
                double mean = sum / in;
                dst[0][slot] = mean;
                dst[1][slot] = Math.sqrt(Math.max(0, sq / in - mean * mean));
            } else {
                for (int f = 0; f < features; f++) {
                    dst[f][slot] = input[r * in + f];
                }
            }
            int best = 0;
            for (int k = 1; k < out; k++) {
                if (output[r * out + k] > output[r * out + best]) {
                    best = k;
                }
            }
            (ref ? refClass : curClass)[slot] = best;
            seen++;
        }
    }

    /** The drift report: state, per-feature PSI and KS, prediction JS divergence, and whether it drifted. */
    synchronized Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window);
        m.put("examples_seen", seen);
        m.put("features", summarize ? new String[] {"mean", "std"} : null);
        m.put("psi_threshold", PSI_THRESHOLD);
        if (seen < 2L * window) {
            m.put("state", seen < window ? "collecting reference" : "collecting current window");
            return m;
        }
        double[] psi = new double[features];
        double[] ksD = new double[features];
        double[] ksP = new double[features];
        boolean drifted = false;
        for (int f = 0; f < features; f++) {
            psi[f] = DriftStats.psi(reference[f], current[f], BINS);
            double[] ks = DriftStats.ks(reference[f], current[f]);
            ksD[f] = ks[0];
            ksP[f] = ks[1];
            drifted |= psi[f] > PSI_THRESHOLD;
        }
        long[] pr = new long[classes];
        long[] pc = new long[classes];
        for (int i = 0; i < window; i++) {
            pr[refClass[i]]++;
            pc[curClass[i]]++;
        }
        m.put("state", "comparing");
        m.put("psi", psi);
        m.put("ks_statistic", ksD);
        m.put("ks_p_value", ksP);
        m.put("prediction_js_divergence", DriftStats.jensenShannon(pr, pc));
        m.put("drifted", drifted);
        return m;
    }
}
