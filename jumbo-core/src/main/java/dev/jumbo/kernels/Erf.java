package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The error function. The vector form uses the Chebyshev fit of erfc from Numerical Recipes
 * (fractional error below 1.2e-7 everywhere, so well inside float precision; the 7.1.26 formula of
 * Abramowitz-Stegun, 1.5e-7 absolute but only 5 coefficients, is coarser in relative terms for
 * gradients). The double form is an independent series/continued fraction, the reference for tests.
 */
public final class Erf {
    private static final float[] C = {
        -1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
        0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};

    private Erf() {}

    /**
     * erf(x) in double precision: the Maclaurin series below |x| = 3 (relative error near 1e-13),
     * the continued fraction of erfc above. Used as the reference and by derivative checks.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double x2 = ax * ax;
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * sum; n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            r = sum * 2 / Math.sqrt(Math.PI);
        } else {
            double f = ax; // x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), evaluated bottom-up
            for (int k = 60; k >= 1; k--) {
                f = ax + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
        }
        return x < 0 ? -r : r;
    }

    /**
     * {@code out[oOff+i] = erf(scale * x[xOff+i])} for {@code i < n}, n a multiple of the vector
     * length. A loop of its own rather than a vector-returning helper: C2 stops inlining a compiled
     * method above 2.5 KB of code, and a vector passed across a real call is boxed.
     */
    static void erfVectors(float[] x, int xOff, float scale, float[] out, int oOff, int n) {
        VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
        for (int i = 0; i < n; i += s.length()) {
            FloatVector v = FloatVector.fromArray(s, x, xOff + i).mul(scale);
            FloatVector ax = v.abs();
            FloatVector t = FloatVector.broadcast(s, 1f).div(ax.mul(0.5f).add(1f));
            FloatVector p = t.mul(C[9]).add(C[8]);
            p = p.mul(t).add(C[7]);
            p = p.mul(t).add(C[6]);
            p = p.mul(t).add(C[5]);
            p = p.mul(t).add(C[4]);
            p = p.mul(t).add(C[3]);
            p = p.mul(t).add(C[2]);
            p = p.mul(t).add(C[1]);
            p = p.mul(t).add(C[0]);
            FloatVector erfc = t.mul(ax.mul(ax).neg().add(p).lanewise(VectorOperators.EXP));
            erfc.neg().add(1f).lanewise(VectorOperators.NEG, v.compare(VectorOperators.LT, 0f)).intoArray(out, oOff + i);
        }
    }
}
