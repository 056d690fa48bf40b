package dev.jumbo.data;

import dev.jumbo.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A dataset held in memory as one float array (all inputs back to back) plus an int array of
 * labels: the layout every reader produces, so batching is an {@code arraycopy}.
 *
 * <pre>{@code
 * float[] xs = {0, 1, 2, 3, 4, 5};                 // three examples of shape [2]
 * Dataset d = new TensorDataset("toy", xs, new int[] {0, 1, 0}, new int[] {2}, 2, List.of());
 * }</pre>
 */
public final class TensorDataset implements Dataset {
    private final String name;
    private final float[] inputs;
    private final int[] labels;
    private final int[] shape;
    private final int exampleSize;
    private final int numClasses;
    private final List<String> classNames;

    /**
     * @param name       what errors call the dataset (a file or dataset name)
     * @param inputs     {@code labels.length * prod(shape)} floats, not copied
     * @param labels     one label per example in {@code [0, numClasses)}, not copied
     * @param shape      the shape of one input
     * @param numClasses the number of classes
     * @param classNames empty, or one name per class
     */
    public TensorDataset(String name, float[] inputs, int[] labels, int[] shape, int numClasses, List<String> classNames) {
        int per = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": example shape " + Arrays.toString(shape)
                        + ": every dimension must be positive");
            }
            per *= d;
        }
        if ((long) labels.length * per != inputs.length) {
            throw new IllegalArgumentException(name + ": " + inputs.length + " input values for " + labels.length
                    + " examples of shape " + Arrays.toString(shape) + ": expected " + (long) labels.length * per);
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException(name + ": numClasses " + numClasses + ": expected at least 1");
        }
        if (!classNames.isEmpty() && classNames.size() != numClasses) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + numClasses
                    + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                        + " is out of range: expected 0.." + (numClasses - 1));
            }
        }
        this.name = name;
        this.inputs = inputs;
        this.labels = labels;
        this.shape = shape.clone();
        this.exampleSize = per;
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
    }

    /** A dataset over an input tensor {@code [N, ...]} and an int32 label tensor {@code [N]} (both copied). */
    public static TensorDataset of(Tensor inputs, Tensor labels, int numClasses) {
        if (labels.dim() != 1 || inputs.dim() < 1 || inputs.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("TensorDataset.of: inputs " + Arrays.toString(inputs.shape())
                    + " and labels " + Arrays.toString(labels.shape()) + ": expected [N,...] and [N]");
        }
        int[] shape = Arrays.copyOfRange(inputs.shape(), 1, inputs.dim());
        return new TensorDataset("tensors", inputs.toFloatArray(), labels.toIntArray(), shape, numClasses, List.of());
    }

    /** What errors call this dataset. */
    public String name() {
        return name;
    }

    /** One name per class, or empty when the source had none. */
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] exampleShape() {
        return shape.clone();
    }

    @Override
    public int exampleSize() {
        return exampleSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public void read(int i, float[] dst, int off) {
        System.arraycopy(inputs, i * exampleSize, dst, off, exampleSize);
    }

    @Override
    public String toString() {
        return name + " (" + labels.length + " x " + Arrays.toString(shape) + ", " + numClasses + " classes)";
    }
}
