package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reductions and softmax over [outer, r, inner] blocks against naive references. */
class ReduceKernelsTest {
    static final int[][] BLOCKS = {{1, 1, 1}, {1, 7, 1}, {3, 17, 1}, {2, 63, 5}, {1, 129, 17}, {4, 1000, 1},
        {1, 40_000, 1}, {2, 3, 129}, {1, 7, 1000}};

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceMatchesNaiveFold(ReduceOp op) {
        for (int[] b : BLOCKS) {
            int outer = b[0];
            int r = b[1];
            int inner = b[2];
            float[] x = ElementwiseKernelsTest.random(outer * r * inner + 2, r, -2f, 2f);
            float[] out = new float[outer * inner];
            Reduce.reduce(op, x, 2, outer, r, inner, out, 0);
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY
                            : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
                    for (int j = 0; j < r; j++) {
                        double v = x[2 + (o * r + j) * inner + k];
                        acc = switch (op) {
                            case SUM -> acc + v;
                            case SUM_SQUARES -> acc + v * v;
                            case MAX -> Math.max(acc, v);
                            case MIN -> Math.min(acc, v);
                        };
                    }
                    assertThat((double) out[o * inner + k]).as("%s %d,%d,%d", op, outer, r, inner)
                            .isCloseTo(acc, within(1e-5 * Math.max(1, Math.sqrt(r) * 4)));
                }
            }
        }
    }

    @Test
    void maxPropagatesNaNAndArgmaxPrefersFirstTieAndNaN() {
        float[] x = new float[100];
        x[37] = Float.NaN;
        float[] out = new float[1];
        Reduce.reduce(ReduceOp.MAX, x, 0, 1, 100, 1, out, 0);
        assertThat(out[0]).isNaN();
        Reduce.reduce(ReduceOp.MIN, x, 0, 1, 100, 1, out, 0);
        assertThat(out[0]).isNaN();
        int[] idx = new int[1];
        Reduce.argReduce(true, x, 0, 1, 100, 1, out, idx);
        assertThat(idx[0]).isEqualTo(37);
        float[] ties = {1, 5, 2, 5, 5};
        Reduce.argReduce(true, ties, 0, 1, 5, 1, out, idx);
        assertThat(idx[0]).isEqualTo(1);
        Reduce.argReduce(false, ties, 0, 1, 5, 1, out, idx);
        assertThat(idx[0]).isEqualTo(0);
        // along an outer axis: columns of a [3,2] block
        float[] m = {1, 9, 7, 2, 7, 3};
        int[] ci = new int[2];
        Reduce.argReduce(true, m, 0, 1, 3, 2, null, ci);
        assertThat(ci).containsExactly(1, 0);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void columnReductionsAreBitExactWithTheScalarFoldWhateverTheSplit(ReduceOp op) {
        int r = 64;
        int inner = 2003; // large enough to split the columns over threads, with a scalar tail
        float[] x = ElementwiseKernelsTest.random(2 * r * inner, 21, -2f, 2f);
        for (int outer : new int[] {1, 2}) {
            float[] out = new float[outer * inner];
            Reduce.reduce(op, x, 0, outer, r, inner, out, 0);
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    float acc = op.identity();
                    for (int j = 0; j < r; j++) {
                        acc = op.fold(acc, x[(o * r + j) * inner + k]);
                    }
                    assertThat(out[o * inner + k]).as("%s column %d", op, k).isEqualTo(acc);
                }
            }
        }
    }

    @Test
    void longSumIsIndependentOfThreadPartition() {
        float[] x = ElementwiseKernelsTest.random(100_003, 11, -1f, 1f);
        float[] a = new float[1];
        float[] b = new float[1];
        Reduce.reduce(ReduceOp.SUM, x, 0, 1, x.length, 1, a, 0);
        Reduce.reduce(ReduceOp.SUM, x, 0, 1, x.length, 1, b, 0);
        assertThat(a[0]).isEqualTo(b[0]);
    }

    @Test
    void softmaxLogSoftmaxLogsumexpAndBackwardMatchReference() {
        for (int[] b : BLOCKS) {
            int outer = b[0];
            int r = b[1];
            int inner = b[2];
            int n = outer * r * inner;
            float[] x = ElementwiseKernelsTest.random(n, r + inner, -5f, 5f);
            float[] g = ElementwiseKernelsTest.random(n, 3, -1f, 1f);
            float[] sm = new float[n];
            float[] lsm = new float[n];
            float[] lse = new float[outer * inner];
            Softmax.forward(Softmax.Mode.SOFTMAX, x, 0, outer, r, inner, sm, 0);
            Softmax.forward(Softmax.Mode.LOG_SOFTMAX, x, 0, outer, r, inner, lsm, 0);
            Softmax.forward(Softmax.Mode.LOGSUMEXP, x, 0, outer, r, inner, lse, 0);
            float[] gs = new float[n];
            float[] gl = new float[n];
            Softmax.backward(false, sm, 0, g, 0, outer, r, inner, gs, 0);
            Softmax.backward(true, lsm, 0, g, 0, outer, r, inner, gl, 0);
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < r; j++) {
                        m = Math.max(m, x[(o * r + j) * inner + k]);
                    }
                    double s = 0;
                    for (int j = 0; j < r; j++) {
                        s += Math.exp(x[(o * r + j) * inner + k] - m);
                    }
                    double logZ = m + Math.log(s);
                    assertThat((double) lse[o * inner + k]).isCloseTo(logZ, within(1e-5 * Math.max(1, Math.abs(logZ))));
                    double dotGy = 0;
                    double sumG = 0;
                    for (int j = 0; j < r; j++) {
                        int at = (o * r + j) * inner + k;
                        dotGy += g[at] * Math.exp(x[at] - logZ);
                        sumG += g[at];
                    }
                    for (int j = 0; j < r; j++) {
                        int at = (o * r + j) * inner + k;
                        double p = Math.exp(x[at] - logZ);
                        assertThat((double) sm[at]).isCloseTo(p, within(1e-6 + 1e-5 * p));
                        assertThat((double) lsm[at]).isCloseTo(x[at] - logZ, within(1e-4));
                        assertThat((double) gs[at]).isCloseTo(p * (g[at] - dotGy), within(1e-5));
                        assertThat((double) gl[at]).isCloseTo(g[at] - p * sumG, within(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void softmaxOfAllNegativeInfinityRowIsNotNaNAndLargeValuesAreStable() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 1000f, 1001f};
        float[] out = new float[4];
        Softmax.forward(Softmax.Mode.SOFTMAX, x, 0, 2, 2, 1, out, 0);
        assertThat(out[2] + out[3]).isCloseTo(1f, within(1e-6f));
        assertThat(out[3]).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
    }
}
