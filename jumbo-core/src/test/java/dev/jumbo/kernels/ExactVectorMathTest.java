package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class ExactVectorMathTest {
    static final int L = ExactVectorMath.S.length();

    static float[] exp(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += L) {
            ExactVectorMath.exp(FloatVector.fromArray(ExactVectorMath.S, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void expIsWithinTwoUlpOfMathExpOverTheFloatRange() {
        int n = L * 4096;
        float[] x = new float[n];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 176 - 87.3);
        }
        float[] e = exp(x);
        for (int i = 0; i < n; i++) {
            double ref = Math.exp(x[i]);
            if (ref > 1.2e-38 && x[i] < 88.37f) { // normal range
                assertThat(Math.abs(e[i] - ref) / Math.ulp((float) ref)).as("exp(%s)", x[i]).isLessThanOrEqualTo(2.0);
            }
        }
    }

    @Test
    void expSpecialValues() {
        float[] x = new float[L];
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = Float.POSITIVE_INFINITY;
        x[2] = Float.NaN;
        x[3] = 0f;
        x[4] = -100f;
        x[5] = 100f;
        x[6] = 1f;
        float[] e = exp(x);
        assertThat(e[0]).isZero();
        assertThat(e[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(e[2]).isNaN();
        assertThat(e[3]).isEqualTo(1f);
        assertThat(e[4]).isZero();
        assertThat(e[5]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(e[6]).isCloseTo((float) Math.E, org.assertj.core.api.Assertions.within(Math.ulp((float) Math.E)));
    }

    /** The property the class exists for: the first (interpreted) and the later (C2) calls agree bit for bit. */
    @Test
    void sameBitsBeforeAndAfterTheJitCompilesTheCaller() {
        float[] x = new float[L * 4];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 20 - 10);
        }
        Set<Integer> distinct = new HashSet<>();
        Set<Long> sums = new HashSet<>();
        for (int it = 0; it < 20_000; it++) {
            float[] e = exp(x);
            distinct.add(Arrays.hashCode(e));
            sums.add(Double.doubleToLongBits(ExactVectorMath.sumLanes(FloatVector.fromArray(ExactVectorMath.S, e, 0))));
            sums.add(Double.doubleToLongBits(OptimizerKernels.sumSquares(x, 0, x.length)));
        }
        assertThat(distinct).hasSize(1);
        assertThat(sums).hasSize(2);
    }
}
