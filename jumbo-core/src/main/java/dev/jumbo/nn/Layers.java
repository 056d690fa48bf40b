package dev.jumbo.nn;

import java.util.Arrays;

/** Argument checks shared by the layer constructors: {@code Layer: field value: what was expected}. */
final class Layers {
    private Layers() {}

    static void positive(String layer, String field, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(layer + ": " + field + " " + v + ", expected >= 1");
        }
    }

    static void nonNegative(String layer, String field, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(layer + ": " + field + " " + v + ", expected >= 0");
        }
    }

    static void probability(String layer, String field, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(layer + ": " + field + " " + p + ", expected a probability in [0, 1)");
        }
    }

    static void checkGroups(String layer, int in, int out, int groups) {
        positive(layer, "in_channels", in);
        positive(layer, "out_channels", out);
        positive(layer, "groups", groups);
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": groups " + groups + " with in_channels " + in
                    + " and out_channels " + out + ", expected both divisible by groups");
        }
    }

    /** A copy of a two-element [h, w] argument, each element at least {@code min}. */
    static int[] pair(String layer, String field, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(layer + ": " + field + " " + Arrays.toString(v)
                    + ", expected two values >= " + min);
        }
        return v.clone();
    }
}
