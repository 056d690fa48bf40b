package dev.jumbo.data.augment;

import java.util.Arrays;

/** Parameter checks shared by the augmentations: each error names the transform, the parameter and its value. */
final class Check {
    private Check() {}

    static float probability(String op, String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": " + name + " " + p + ": expected a probability in [0, 1]");
        }
        return (float) p;
    }

    static int nonNegative(String op, String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(op + ": " + name + " " + v + ": expected >= 0");
        }
        return v;
    }

    static int positive(String op, String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(op + ": " + name + " " + v + ": expected >= 1");
        }
        return v;
    }

    static float nonNegative(String op, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(op + ": " + name + " " + v + ": expected a finite value >= 0");
        }
        return (float) v;
    }

    static float finite(String op, String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(op + ": " + name + " " + v + ": expected a finite value");
        }
        return (float) v;
    }

    /** {@code lo <= hi}, both finite and at least {@code min}. */
    static void range(String op, String name, double lo, double hi, double min) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo >= min && lo <= hi)) {
            throw new IllegalArgumentException(op + ": " + name + " [" + lo + ", " + hi + "]: expected finite bounds with "
                    + min + " <= low <= high");
        }
    }

    /** The image geometry {channels, height, width} of an example shape {@code [C,H,W]} or {@code [H,W]}. */
    static int[] image(String op, int[] shape) {
        if (shape.length == 3) {
            return new int[] {shape[0], shape[1], shape[2]};
        }
        if (shape.length == 2) {
            return new int[] {1, shape[0], shape[1]};
        }
        throw new IllegalArgumentException(op + ": example shape " + Arrays.toString(shape) + ": expected [C,H,W] or [H,W]");
    }

    /** The feature geometry {channels, frequencies, frames} of {@code [T]}, {@code [F,T]} or {@code [C,F,T]}. */
    static int[] sequence(String op, int[] shape) {
        return switch (shape.length) {
            case 1 -> new int[] {1, 1, shape[0]};
            case 2 -> new int[] {1, shape[0], shape[1]};
            case 3 -> new int[] {shape[0], shape[1], shape[2]};
            default -> throw new IllegalArgumentException(op + ": example shape " + Arrays.toString(shape)
                    + ": expected [T], [F,T] or [C,F,T]");
        };
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
