package dev.jumbo.kernels;

/**
 * The error function. The vector form uses the Chebyshev fit of erfc from Numerical Recipes
 * (fractional error below 1.2e-7 everywhere, so well inside float precision; the 7.1.26 formula of
 * Abramowitz-Stegun, 1.5e-7 absolute but only 5 coefficients, is coarser in relative terms for
 * gradients). The double form is an independent series/continued fraction, the reference for tests.
 */
public final class Erf {

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

    /** {@code out[oOff+i] = erf(scale * x[xOff+i])} for {@code i < n} (see {@link VMath#erf}). */
    public static void erf(float[] x, int xOff, float scale, float[] out, int oOff, int n) {
        VMath.erf(x, xOff, scale, out, oOff, n);
    }
}
