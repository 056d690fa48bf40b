package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SgemmTest {

    private static final int[][] SHAPES = {
        {1, 1, 1}, {7, 7, 7}, {17, 17, 17}, {63, 63, 63}, {129, 129, 129}, {257, 257, 257},
        {1, 1000, 3}, {1000, 1, 3}, {3, 5, 1000}, {13, 33, 600}, {37, 200, 129}, {300, 40, 513},
        {2, 70, 70}, {64, 64, 64}, {12, 32, 1}, {25, 65, 1030}, {1100, 1030, 20},
    };

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void matchesReferenceOnAwkwardShapesAllTransposes(int threads) {
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(threads);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                check(rnd, t % 2 == 1, t >= 2, s[0], s[1], s[2], 1f, 0f, 0, 0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void alphaBetaOffsetsAndLargerLeadingDimensions(int threads) {
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int[] s : new int[][] {{5, 9, 4}, {65, 130, 97}, {140, 50, 600}}) {
            for (int t = 0; t < 4; t++) {
                check(rnd, t % 2 == 1, t >= 2, s[0], s[1], s[2], -1.5f, 0.5f, 3, 5);
                check(rnd, t % 2 == 1, t >= 2, s[0], s[1], s[2], 0.25f, 1f, 1, 0);
                check(rnd, t % 2 == 1, t >= 2, s[0], s[1], s[2], 0f, 2f, 0, 2);
            }
        }
    }

    @Test
    void betaZeroOverwritesNaN() {
        float[] a = {1, 2};
        float[] b = {3, 4};
        float[] c = {Float.NaN};
        Sgemm.sgemm(false, false, 1, 1, 2, 1f, a, 0, 2, b, 0, 1, 0f, c, 0, 1);
        assertThat(c[0]).isEqualTo(11f);
    }

    @Test
    void deterministicRunToRunAndAcrossThreadCounts() {
        int m = 203;
        int n = 171;
        int k = 1100;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[][] results = new float[3][];
        int[] threadCounts = {2, 2, 1};
        for (int r = 0; r < 3; r++) {
            Parallel.setThreads(threadCounts[r]);
            results[r] = new float[m * n];
            Sgemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, results[r], 0, n);
        }
        assertThat(results[1]).containsExactly(results[0]);
        assertThat(results[2]).containsExactly(results[0]);
    }

    @Test
    void rejectsOperandsOutsideTheirArrays() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        assertThatThrownBy(() -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2))
                .hasMessage("sgemm: leading dimension of A is 2, expected >= 3");
        assertThatThrownBy(() -> Sgemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2))
                .hasMessageContaining("sgemm: A (2x3, offset 1, ld 3) needs 7 elements, array has 6");
    }

    /** Runs both kernels on padded operands (offsets, larger leading dimensions) and compares. */
    private static void check(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k,
                              float alpha, float beta, int off, int pad) {
        int lda = (transA ? m : k) + pad;
        int ldb = (transB ? k : n) + pad;
        int ldc = n + pad;
        float[] a = random(rnd, off + (transA ? k : m) * lda);
        float[] b = random(rnd, off + (transB ? n : k) * ldb);
        float[] c = random(rnd, off + m * ldc);
        float[] expected = c.clone();
        Sgemm.sgemm(transA, transB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
        SgemmReference.sgemm(transA, transB, m, n, k, alpha, a, off, lda, b, off, ldb, beta, expected, off, ldc);
        // Products of values in [-1, 1]: float32 error grows like sqrt(k) * eps per element.
        double tol = 8 * Math.sqrt(Math.max(1, k)) * Math.ulp(1f) * Math.max(1, Math.abs(alpha)) + 4 * Math.ulp(1f);
        for (int i = 0; i < c.length; i++) {
            int row = (i - off) / ldc;
            int col = (i - off) % ldc;
            boolean inside = i >= off && row < m && col < n;
            if (!inside) {
                assertThat(c[i]).as("element %d outside C must be untouched", i).isEqualTo(expected[i]);
                continue;
            }
            double scale = Math.max(1, Math.abs(expected[i]));
            if (Math.abs(c[i] - expected[i]) > tol * scale) {
                throw new AssertionError(String.format(
                        "sgemm transA=%b transB=%b m=%d n=%d k=%d alpha=%s beta=%s at (%d,%d): got %s, expected %s",
                        transA, transB, m, n, k, alpha, beta, row, col, c[i], expected[i]));
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
