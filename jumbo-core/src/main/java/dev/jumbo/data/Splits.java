package dev.jumbo.data;

import dev.jumbo.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Random and stratified train/validation splits. Each split is a {@link Subset} whose indices are
 * in increasing base order (a loader shuffles them anyway); the same seed gives the same split.
 *
 * <pre>{@code
 * List<Subset> parts = Splits.randomSplit(data, new double[] {0.9, 0.1}, 1);
 * Splits.Split s = Splits.stratifiedSplit(data, 0.1, 1);   // each class keeps its share in s.validation()
 * }</pre>
 */
public final class Splits {
    private Splits() {}

    /** A train/validation pair. */
    public record Split(Subset train, Subset validation) {}

    /**
     * Splits into parts of the given sizes, which must add up to the dataset size.
     */
    public static List<Subset> randomSplit(Dataset data, int[] sizes, long seed) {
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("randomSplit: sizes " + Arrays.toString(sizes) + ": negative size");
            }
            sum += s;
        }
        if (sum != data.size()) {
            throw new IllegalArgumentException("randomSplit: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ": expected the dataset size " + data.size());
        }
        int[] perm = permutation(data.size(), new Rng(seed));
        List<Subset> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            int[] idx = Arrays.copyOfRange(perm, at, at + s);
            Arrays.sort(idx);
            out.add(new Subset(data, idx));
            at += s;
        }
        return out;
    }

    /**
     * Splits into parts of the given fractions (adding up to 1 within 1e-6). Sizes are the floors
     * of {@code fraction * size}; the examples left over go one each to the first parts, as
     * PyTorch's {@code random_split} does.
     */
    public static List<Subset> randomSplit(Dataset data, double[] fractions, long seed) {
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0)) {
                throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions)
                        + ": each must be in [0, 1]");
            }
            total += f;
        }
        if (Math.abs(total - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " add up to "
                    + total + ": expected 1");
        }
        int n = data.size();
        int[] sizes = new int[fractions.length];
        int used = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = (int) Math.floor(fractions[i] * n);
            used += sizes[i];
        }
        for (int i = 0; used < n; i = (i + 1) % sizes.length) {
            sizes[i]++;
            used++;
        }
        return randomSplit(data, sizes, seed);
    }

    /**
     * Holds out {@code round(valFraction * count)} examples of each class for validation, so both
     * parts keep the dataset's class proportions (to within one example per class).
     */
    public static Split stratifiedSplit(Dataset data, double valFraction, long seed) {
        if (!(valFraction >= 0 && valFraction <= 1)) {
            throw new IllegalArgumentException("stratifiedSplit: valFraction " + valFraction + ": expected 0..1");
        }
        int k = data.numClasses();
        int[] counts = data.classCounts();
        int[][] byClass = new int[k][];
        for (int c = 0; c < k; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[k];
        for (int i = 0, n = data.size(); i < n; i++) {
            int c = data.label(i);
            byClass[c][fill[c]++] = i;
        }
        Rng rng = new Rng(seed);
        int[] train = new int[data.size()];
        int[] val = new int[data.size()];
        int nt = 0;
        int nv = 0;
        for (int c = 0; c < k; c++) {
            int[] perm = permutation(counts[c], rng);
            int take = (int) Math.round(valFraction * counts[c]);
            for (int j = 0; j < counts[c]; j++) {
                int idx = byClass[c][perm[j]];
                if (j < take) {
                    val[nv++] = idx;
                } else {
                    train[nt++] = idx;
                }
            }
        }
        int[] t = Arrays.copyOf(train, nt);
        int[] v = Arrays.copyOf(val, nv);
        Arrays.sort(t);
        Arrays.sort(v);
        return new Split(new Subset(data, t), new Subset(data, v));
    }

    /**
     * Exactly {@code n} examples drawn without replacement so that each class keeps its share:
     * class {@code c} gets {@code floor(n * count_c / size)} examples, and the examples left over go
     * to the classes with the largest remainders (ties to the lower class). Indices are in increasing
     * base order; the same seed gives the same sample.
     *
     * <pre>{@code
     * Subset thousand = Splits.stratifiedSample(FashionMnist.train(), 1000, 1);   // 100 per class
     * }</pre>
     */
    public static Subset stratifiedSample(Dataset data, int n, long seed) {
        if (n < 0 || n > data.size()) {
            throw new IllegalArgumentException("stratifiedSample: n " + n + ": expected 0.." + data.size()
                    + " (the dataset size)");
        }
        int k = data.numClasses();
        int[] counts = data.classCounts();
        int[] quota = new int[k];
        double[] remainder = new double[k];
        int given = 0;
        for (int c = 0; c < k; c++) {
            double exact = (double) n * counts[c] / data.size();
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            given += quota[c];
        }
        for (; given < n; given++) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
        }
        int[][] byClass = new int[k][];
        int[] fill = new int[k];
        for (int c = 0; c < k; c++) {
            byClass[c] = new int[counts[c]];
        }
        for (int i = 0, size = data.size(); i < size; i++) {
            int c = data.label(i);
            byClass[c][fill[c]++] = i;
        }
        Rng rng = new Rng(seed);
        int[] picked = new int[n];
        int m = 0;
        for (int c = 0; c < k; c++) {
            int[] perm = permutation(counts[c], rng);
            for (int j = 0; j < quota[c]; j++) {
                picked[m++] = byClass[c][perm[j]];
            }
        }
        Arrays.sort(picked);
        return new Subset(data, picked);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates) drawn from {@code rng}. */
    static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
