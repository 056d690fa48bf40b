package dev.jumbo.serve;

import java.util.Arrays;

/**
 * The drift statistics, as plain functions over samples: population stability index on bins cut at
 * the reference's quantiles, the two-sample Kolmogorov-Smirnov test, and Jensen-Shannon divergence
 * of two class distributions.
 *
 * <pre>{@code
 * double psi = DriftStats.psi(reference, current, 10);      // > 0.1: a shift worth a look
 * double[] ks = DriftStats.ks(reference, current);          // {statistic D, p-value}
 * double js = DriftStats.jensenShannon(refCounts, curCounts); // in bits, 0..1
 * }</pre>
 */
public final class DriftStats {
    private static final double EPS = 1e-4;

    private DriftStats() {}

    /**
     * PSI = sum over bins of (cur% - ref%) * ln(cur% / ref%), with {@code bins} bins whose edges are
     * the reference's quantiles (empty bins get a small floor so the log stays finite).
     */
    public static double psi(double[] reference, double[] current, int bins) {
        double[] ref = reference.clone();
        Arrays.sort(ref);
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = ref[(int) Math.min(ref.length - 1, (long) i * ref.length / bins)];
        }
        double[] pr = histogram(reference, edges);
        double[] pc = histogram(current, edges);
        double psi = 0;
        for (int i = 0; i < bins; i++) {
            double a = Math.max(pr[i], EPS);
            double b = Math.max(pc[i], EPS);
            psi += (b - a) * Math.log(b / a);
        }
        return psi;
    }

    private static double[] histogram(double[] x, double[] edges) {
        double[] h = new double[edges.length + 1];
        for (double v : x) {
            int i = Arrays.binarySearch(edges, v);
            int bin = i >= 0 ? i + 1 : -i - 1; // values equal to an edge go to the bin above it
            h[bin]++;
        }
        for (int i = 0; i < h.length; i++) {
            h[i] /= x.length;
        }
        return h;
    }

    /** Two-sample KS: {D, p} with D the largest gap between the empirical CDFs and p its asymptotic p-value. */
    public static double[] ks(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        double n = (double) x.length * y.length / (x.length + y.length);
        double lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
        return new double[] {d, kolmogorovQ(lambda)};
    }

    /** Q_KS(lambda) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lambda^2), the Kolmogorov tail. */
    private static double kolmogorovQ(double lambda) {
        if (lambda < 1e-3) {
            return 1;
        }
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            double term = 2 * Math.pow(-1, k - 1) * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12) {
                break;
            }
        }
        return Math.max(0, Math.min(1, sum));
    }

    /** Jensen-Shannon divergence (base 2, in [0, 1]) between two count vectors of equal length. */
    public static double jensenShannon(long[] p, long[] q) {
        double sp = Arrays.stream(p).sum();
        double sq = Arrays.stream(q).sum();
        if (sp == 0 || sq == 0) {
            return 0;
        }
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sp;
            double b = q[i] / sq;
            double m = (a + b) / 2;
            if (a > 0) {
                js += 0.5 * a * Math.log(a / m);
            }
            if (b > 0) {
                js += 0.5 * b * Math.log(b / m);
            }
        }
        return js / Math.log(2);
    }
}
