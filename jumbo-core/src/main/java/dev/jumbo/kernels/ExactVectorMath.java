package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector math whose bits do not depend on the JIT tier. The Vector API's {@code EXP} runs SVML code
 * once C2 has compiled a loop but a per-lane {@code Math.exp} before, and {@code reduceLanes(ADD)}
 * adds lanes in a different order in the two; both changed results by an ulp between the first and
 * the thousandth call of the same kernel (measured here), which breaks "same seed, same bits". These
 * versions use only IEEE-exact lane operations (add, mul, fma, conversions, shifts, compares).
 *
 * <pre>{@code
 * FloatVector e = ExactVectorMath.exp(FloatVector.fromArray(S, x, i));
 * double s = ExactVectorMath.sumLanes(acc);
 * }</pre>
 */
public final class ExactVectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float HI = 88.37f; // keeps n <= 127, so 2^n stays finite
    private static final float LO = -87.3365447505531f;

    private ExactVectorMath() {}

    /**
     * {@code e^x} per lane (Cephes' expf: range reduction by ln 2, degree-6 polynomial), within
     * about 2 ulp; 0 below -87.34 (so -inf gives 0), +inf above 88.37, NaN for NaN.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(LO).min(HI);
        FloatVector t = xc.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUND));
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(S, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // t = 1.5 * 2^23 + n holds n in its low mantissa bits: 2^n's exponent field is (n + 127) << 23
        IntVector e = t.reinterpretAsInts().sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = e.reinterpretAsFloats();
        y = y.mul(scale);
        VectorMask<Float> under = x.compare(VectorOperators.LT, LO);
        VectorMask<Float> over = x.compare(VectorOperators.GT, HI);
        VectorMask<Float> nan = x.compare(VectorOperators.NE, x);
        return y.blend(0f, under).blend(Float.POSITIVE_INFINITY, over).blend(x, nan);
    }

    /** The sum of the lanes in lane order, in double (the same bits in every JIT tier). */
    public static double sumLanes(FloatVector v) {
        double s = 0;
        for (int l = 0; l < v.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }
}
