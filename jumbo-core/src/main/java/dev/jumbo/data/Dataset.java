package dev.jumbo.data;

import dev.jumbo.tensor.Tensor;

/**
 * A finite, indexable set of labelled examples, each an input of a fixed shape plus an int class
 * label. Inputs are read by copying their floats into a caller's array, so a {@link DataLoader}
 * builds a batch with one copy per example and no per-example tensor objects.
 *
 * <pre>{@code
 * Dataset train = FashionMnist.train();        // 60,000 x [1,28,28], labels 0..9
 * float[] x = new float[train.exampleSize()];
 * train.read(0, x, 0);                          // the first image's pixels
 * int y = train.label(0);
 * Example e = train.get(0);                     // the same as a tensor + label
 * }</pre>
 *
 * <p>Implementations must be safe for concurrent {@code read}/{@code label} calls: loader workers
 * call them from several threads.
 */
public interface Dataset {

    /** The number of examples. */
    int size();

    /** The shape of one input, e.g. {@code [1,28,28]} (a fresh array). */
    int[] exampleShape();

    /** The number of floats in one input (the product of {@link #exampleShape()}). */
    default int exampleSize() {
        int n = 1;
        for (int d : exampleShape()) {
            n *= d;
        }
        return n;
    }

    /** The number of classes; labels are in {@code [0, numClasses())}. */
    int numClasses();

    /** The class label of example {@code i}. */
    int label(int i);

    /** Copies the {@link #exampleSize()} floats of example {@code i} into {@code dst} at {@code off}. */
    void read(int i, float[] dst, int off);

    /** Example {@code i} as a fresh tensor of {@link #exampleShape()} and its label. */
    default Example get(int i) {
        float[] x = new float[exampleSize()];
        read(i, x, 0);
        return new Example(Tensor.of(x, exampleShape()), label(i));
    }

    /** Every example's label, in order (a fresh array). */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** How many examples each class has, indexed by label. */
    default int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int i = 0, n = size(); i < n; i++) {
            counts[label(i)]++;
        }
        return counts;
    }
}
