package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** exp, tanh and log from plain vector arithmetic, against {@link Math} in ulps, and their special values. */
class VMathTest {

    private static void assertUlps(float[] got, float[] x, java.util.function.DoubleUnaryOperator ref, int ulps,
                                   String name) {
        for (int i = 0; i < x.length; i++) {
            float want = (float) ref.applyAsDouble(x[i]);
            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) {
                assertThat(Float.valueOf(got[i])).as("%s(%s)", name, x[i]).isEqualTo(Float.valueOf(want));
                continue;
            }
            float tol = Math.max(ulps * Math.ulp(want), 2 * Float.MIN_NORMAL);
            assertThat(got[i]).as("%s(%s)", name, x[i]).isCloseTo(want, org.assertj.core.api.Assertions.within(tol));
        }
    }

    @Test
    void expTanhLogAreWithinAFewUlpsOnAwkwardSizes() {
        for (int n : new int[] {1, 7, 17, 63, 129, 1000}) {
            float[] x = ElementwiseKernelsTest.random(n, n, -80f, 80f);
            float[] out = new float[n + 3];
            VMath.exp(x, 0, 0f, 1f, 0f, out, 3, n);
            assertUlps(java.util.Arrays.copyOfRange(out, 3, n + 3), x, Math::exp, 2, "exp");
            float[] t = ElementwiseKernelsTest.random(n, n + 1, -6f, 6f);
            VMath.tanh(t, 0, 1f, out, 0, n);
            assertUlps(java.util.Arrays.copyOf(out, n), t, Math::tanh, 4, "tanh");
            float[] p = ElementwiseKernelsTest.random(n, n + 2, 1e-6f, 1e6f);
            VMath.log(p, 0, out, 0, n);
            assertUlps(java.util.Arrays.copyOf(out, n), p, Math::log, 2, "log");
        }
        float[] small = {1e-4f, -3e-3f, 0.3f, -0.6f, 0.7f};
        float[] out = new float[5];
        VMath.tanh(small, 0, 1f, out, 0, 5);
        assertUlps(out, small, Math::tanh, 4, "tanh near 0");
    }

    @Test
    void specialValues() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 0f, -100f, 100f, 88.7f, -87f};
        float[] out = new float[x.length];
        VMath.exp(x, 0, 0f, 1f, 0f, out, 0, x.length);
        assertThat(out[0]).isZero();
        assertThat(out[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(out[2]).isNaN();
        assertThat(out[3]).isEqualTo(1f);
        assertThat(out[4]).isZero();
        assertThat(out[5]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(out[6]).isFinite().isCloseTo((float) Math.exp(88.7f), org.assertj.core.api.Assertions.withinPercentage(1e-4));
        VMath.tanh(x, 0, 1f, out, 0, x.length);
        assertThat(out[0]).isEqualTo(-1f);
        assertThat(out[1]).isEqualTo(1f);
        assertThat(out[2]).isNaN();
        assertThat(out[3]).isZero();
        float[] l = {0f, -1f, Float.POSITIVE_INFINITY, Float.NaN, 1f, 2f};
        float[] lo = new float[l.length];
        VMath.log(l, 0, lo, 0, l.length);
        assertThat(lo[0]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(lo[1]).isNaN();
        assertThat(lo[2]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(lo[3]).isNaN();
        assertThat(lo[4]).isZero();
        assertThat(lo[5]).isEqualTo((float) Math.log(2));
    }

    @Test
    void samePositionIndependentBitsForAnyOffsetOrLength() {
        float[] x = ElementwiseKernelsTest.random(500, 3, -10f, 10f);
        float[] full = new float[500];
        VMath.exp(x, 0, 0f, 1f, 0f, full, 0, 500);
        float[] part = new float[493];
        VMath.exp(x, 7, 0f, 1f, 0f, part, 0, 493);
        for (int i = 0; i < 493; i++) {
            assertThat(part[i]).isEqualTo(full[i + 7]);
        }
    }

    /** The exp formula of {@link VMath} in scalar float arithmetic, operation for operation. */
    private static float scalarExp(float v) {
        float x = v;
        float xc = Math.min(Math.max(x, -87.33654f), 88.72283f);
        float k = (xc * 1.44269504088896341f + 12582912f) - 12582912f;
        float r = (xc - k * 0.693359375f) - k * -2.12194440e-4f;
        float p = r * 1.9875691500E-4f + 1.3981999507E-3f;
        p = p * r + 8.3334519073E-3f;
        p = p * r + 4.1665795894E-2f;
        p = p * r + 1.6666665459E-1f;
        p = p * r + 5.0000001201E-1f;
        p = (p * (r * r) + r) + 1f;
        float y = p * Float.intBitsToFloat(((int) k + 126) << 23) * 2f;
        return x > 88.72283f ? Float.POSITIVE_INFINITY : x < -87.33654f ? 0f : y;
    }

    @Test
    void expIsAPureFunctionOfIeeeArithmeticSoJitStateCannotChangeItsBits() {
        // SVML (the Vector API's EXP once compiled) and Math.exp (its cold path) disagree on ~1% of
        // inputs; VMath must equal its own formula evaluated lane by lane in scalar float arithmetic
        float[] x = ElementwiseKernelsTest.random(4099, 17, -90f, 90f);
        float[] out = new float[x.length];
        VMath.exp(x, 0, 0f, 1f, 0f, out, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertThat(Float.floatToIntBits(out[i])).as("exp(%s)", x[i]).isEqualTo(Float.floatToIntBits(scalarExp(x[i])));
        }
    }
}
