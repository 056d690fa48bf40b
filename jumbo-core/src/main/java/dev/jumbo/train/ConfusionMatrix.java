package dev.jumbo.train;

import java.util.List;

/**
 * Counts of (true class, predicted class) pairs, with per-class precision, recall and F1.
 *
 * <pre>{@code
 * ConfusionMatrix cm = new ConfusionMatrix(3);
 * cm.add(0, 0); cm.add(1, 2); cm.add(2, 2);
 * cm.count(1, 2);     // 1
 * cm.precision(2);    // 0.5: of two predicted 2s, one was right
 * cm.recall(1);       // 0.0
 * System.out.print(cm.table(List.of("cat", "dog", "cow")));
 * }</pre>
 *
 * Precision, recall and F1 of a class with no predicted (resp. true) examples are 0, as in
 * scikit-learn's {@code zero_division=0}.
 */
public final class ConfusionMatrix {
    private final int n;
    private final long[] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: " + numClasses + " classes: expected at least 1");
        }
        this.n = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    public int numClasses() {
        return n;
    }

    /** Records one example of class {@code actual} predicted as {@code predicted}. */
    public void add(int actual, int predicted) {
        if (actual < 0 || actual >= n || predicted < 0 || predicted >= n) {
            throw new IllegalArgumentException("ConfusionMatrix.add: label " + actual + ", prediction " + predicted
                    + ": expected both in [0, " + n + ")");
        }
        counts[actual * n + predicted]++;
    }

    /** Examples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual * n + predicted];
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Examples whose true class is {@code c}. */
    public long support(int c) {
        long s = 0;
        for (int p = 0; p < n; p++) {
            s += counts[c * n + p];
        }
        return s;
    }

    /** Examples predicted as {@code c}. */
    public long predicted(int c) {
        long s = 0;
        for (int a = 0; a < n; a++) {
            s += counts[a * n + c];
        }
        return s;
    }

    public double accuracy() {
        long diag = 0;
        for (int c = 0; c < n; c++) {
            diag += counts[c * n + c];
        }
        long t = total();
        return t == 0 ? 0 : (double) diag / t;
    }

    public double precision(int c) {
        long p = predicted(c);
        return p == 0 ? 0 : (double) count(c, c) / p;
    }

    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) count(c, c) / s;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < n; c++) {
            s += f1(c);
        }
        return s / n;
    }

    /** Rows are true classes, columns predictions (a fresh array). */
    public long[][] toArray() {
        long[][] out = new long[n][n];
        for (int a = 0; a < n; a++) {
            System.arraycopy(counts, a * n, out[a], 0, n);
        }
        return out;
    }

    /** Adds another matrix's counts into this one. */
    public void addAll(ConfusionMatrix other) {
        if (other.n != n) {
            throw new IllegalArgumentException("ConfusionMatrix.addAll: " + other.n + " classes: expected " + n);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    /**
     * A text table: one row per true class with its counts per predicted class, then precision,
     * recall, F1 and support. {@code names} may be null (class numbers are used).
     */
    public String table(List<String> names) {
        String[] label = new String[n];
        int lw = 5;
        for (int c = 0; c < n; c++) {
            label[c] = names == null || c >= names.size() ? String.valueOf(c) : c + " " + names.get(c);
            lw = Math.max(lw, label[c].length());
        }
        int cw = 5;
        for (long v : counts) {
            cw = Math.max(cw, Long.toString(v).length() + 1);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + lw + "s", "true\\pred"));
        for (int c = 0; c < n; c++) {
            sb.append(String.format("%" + cw + "d", c));
        }
        sb.append("   precision  recall      f1  support\n");
        for (int a = 0; a < n; a++) {
            sb.append(String.format("%-" + lw + "s", label[a]));
            for (int p = 0; p < n; p++) {
                sb.append(String.format("%" + cw + "d", count(a, p)));
            }
            sb.append(String.format("   %9.4f %7.4f %7.4f %8d%n", precision(a), recall(a), f1(a), support(a)));
        }
        return sb.toString();
    }
}
