package dev.jumbo.data;

import java.util.Arrays;

/**
 * The examples of a base dataset at given indices, in that order (a view: nothing is copied).
 *
 * <pre>{@code
 * Dataset first1000 = Subset.range(FashionMnist.train(), 0, 1000);
 * }</pre>
 */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    public Subset(Dataset base, int[] indices) {
        int n = base.size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("Subset: index " + indices[i] + " at position " + i
                        + " is out of range for a dataset of " + n + " examples");
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive) of {@code base}. */
    public static Subset range(Dataset base, int from, int to) {
        if (from < 0 || to > base.size() || from > to) {
            throw new IndexOutOfBoundsException("Subset.range: [" + from + ", " + to + ") of a dataset of "
                    + base.size() + " examples");
        }
        int[] idx = new int[to - from];
        Arrays.setAll(idx, k -> from + k);
        return new Subset(base, idx);
    }

    /** The dataset this subset views. */
    public Dataset base() {
        return base;
    }

    /** The base indices, in order (a fresh array). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int[] exampleShape() {
        return base.exampleShape();
    }

    @Override
    public int exampleSize() {
        return base.exampleSize();
    }

    @Override
    public int numClasses() {
        return base.numClasses();
    }

    @Override
    public int label(int i) {
        return base.label(indices[i]);
    }

    @Override
    public void read(int i, float[] dst, int off) {
        base.read(indices[i], dst, off);
    }
}
