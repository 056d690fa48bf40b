package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Binary and unary kernels against naive scalar references on awkward sizes. */
class ElementwiseKernelsTest {
    static final int[] SIZES = {1, 7, 17, 63, 129, 1000, 70_000};

    static float[] random(int n, long seed, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryContiguousAndScalarMatchReference(BinaryOp op) {
        for (int n : SIZES) {
            float[] a = random(n + 3, n, 0.5f, 3f);
            float[] b = random(n + 5, n + 1, 0.5f, 3f);
            if (n > 2) {
                b[5] = a[3 + 5]; // an exact tie for the comparisons
            }
            float[] out = new float[n + 2];
            Binary.apply(op, a, 3, b, 5, out, 2, n);
            for (int i = 0; i < n; i++) {
                assertThat(out[2 + i]).as("%s n=%d i=%d", op, n, i).isEqualTo(op.apply(a[3 + i], b[5 + i]));
            }
            Binary.applyScalar(op, a, 3, 1.7f, false, out, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(out[i]).isEqualTo(op.apply(a[3 + i], 1.7f));
            }
            Binary.applyScalar(op, a, 3, 1.7f, true, out, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(out[i]).isEqualTo(op.apply(1.7f, a[3 + i]));
            }
        }
    }

    @Test
    void comparisonsAndMaxFollowIeeeWithNaN() {
        float nan = Float.NaN;
        float[] a = new float[32];
        float[] b = new float[32];
        a[0] = nan;
        b[1] = nan;
        float[] out = new float[32];
        for (BinaryOp op : BinaryOp.values()) {
            Binary.apply(op, a, 0, b, 0, out, 0, 32);
            assertThat(Float.valueOf(out[0])).as(op.name()).isEqualTo(Float.valueOf(op.apply(nan, 0f)));
            assertThat(Float.valueOf(out[1])).as(op.name()).isEqualTo(Float.valueOf(op.apply(0f, nan)));
        }
        Binary.apply(BinaryOp.NE, a, 0, b, 0, out, 0, 32);
        assertThat(out[0]).isEqualTo(1f);
        Binary.apply(BinaryOp.MAX, a, 0, b, 0, out, 0, 32);
        assertThat(out[0]).isNaN();
        assertThat(out[1]).isNaN();
    }

    @ParameterizedTest
    @EnumSource(value = BinaryOp.class, names = {"ADD", "DIV", "LT", "POW"})
    void stridedBroadcastMatchesReference(BinaryOp op) {
        // a: [5,3,7] read transposed from a [7,3,5] buffer; b: [3,1] broadcast to [5,3,7]
        int[] shape = {5, 3, 7};
        float[] a = random(105, 1, 0.5f, 2f);
        float[] b = random(3, 2, 0.5f, 2f);
        int[] as = {1, 5, 15};
        int[] bs = {0, 1, 0};
        float[] out = new float[105];
        Binary.strided(op, a, 0, as, b, 0, bs, shape, out, 0);
        int o = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 7; k++) {
                    assertThat(out[o++]).isEqualTo(op.apply(a[i + 5 * j + 15 * k], b[j]));
                }
            }
        }
        // a row broadcast over a long contiguous block takes the vector path
        float[] big = random(129 * 17, 3, 0.5f, 2f);
        float[] rowv = random(129, 4, 0.5f, 2f);
        float[] out2 = new float[big.length];
        Binary.strided(op, big, 0, new int[] {129, 1}, rowv, 0, new int[] {0, 1}, new int[] {17, 129}, out2, 0);
        for (int i = 0; i < big.length; i++) {
            assertThat(out2[i]).isEqualTo(op.apply(big[i], rowv[i % 129]));
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryForwardAndBackwardMatchReference(UnaryOp op) {
        float p = op == UnaryOp.CLAMP ? -0.5f : op == UnaryOp.POW ? 1.7f : 0.1f;
        float q = 0.8f;
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
        for (int n : SIZES) {
            float[] x = random(n + 1, n, positive ? 0.1f : -4f, 4f);
            float[] y = new float[n];
            Unary.apply(op, p, q, x, 1, y, 0, n);
            float[] g = random(n, 7, -1f, 1f);
            float[] gx = new float[n];
            Unary.backward(op, p, q, x, 1, y, 0, g, 0, gx, 0, n);
            for (int i = 0; i < n; i++) {
                double ref = op.reference(x[1 + i], p, q);
                assertThat((double) y[i]).as("%s(%s) n=%d", op, x[1 + i], n)
                        .isCloseTo(ref, within(2e-6 * Math.max(1, Math.abs(ref))));
                double dref = g[i] * op.referenceDerivative(x[1 + i], p, q);
                assertThat((double) gx[i]).as("%s'(%s) n=%d", op, x[1 + i], n)
                        .isCloseTo(dref, within(1e-5 * Math.max(1, Math.abs(dref))));
            }
        }
    }

    @Test
    void unaryTailGivesTheSameBitsAsTheVectorBody() {
        float[] x = random(1000, 9, -3f, 3f);
        float[] full = new float[1000];
        Unary.apply(UnaryOp.TANH, 0, 0, x, 0, full, 0, 1000);
        for (int start : new int[] {1, 5, 13}) {
            float[] part = new float[1000 - start];
            Unary.apply(UnaryOp.TANH, 0, 0, x, start, part, 0, part.length);
            for (int i = 0; i < part.length; i++) {
                assertThat(part[i]).isEqualTo(full[start + i]);
            }
        }
    }

    @Test
    void erfIsAccurate() {
        // known values (Abramowitz-Stegun table 7.1)
        assertThat(Erf.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-14));
        assertThat(Erf.erf(1.0)).isCloseTo(0.8427007929497149, within(1e-14));
        assertThat(Erf.erf(-2.0)).isCloseTo(-0.9953222650189527, within(1e-14));
        assertThat(Erf.erf(3.5)).isCloseTo(0.9999992569016276, within(1e-14));
        float[] x = random(1024, 5, -6f, 6f);
        float[] out = new float[1024];
        Erf.erf(x, 0, 1f, out, 0, 1024);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) out[i]).isCloseTo(Erf.erf(x[i]), within(3e-7));
        }
    }
}
