package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

/** Random inputs and tolerant comparisons for kernel tests. */
final class TestArrays {
    private TestArrays() {}

    static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** |a - e| <= tol * (1 + |e|) elementwise, naming the first bad index. */
    static void assertClose(String what, float[] actual, float[] expected, double tol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol * (1 + Math.abs(expected[i])))) {
                throw new AssertionError(what + " at " + i + ": " + actual[i] + " vs expected " + expected[i]);
            }
        }
    }
}
