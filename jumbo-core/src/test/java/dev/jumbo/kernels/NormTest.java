package dev.jumbo.kernels;

import static dev.jumbo.kernels.TestArrays.assertClose;
import static dev.jumbo.kernels.TestArrays.random;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormTest {

    /**
     * Naive float64 normalization of groups of elements: group r holds elements idx(r, 0..len-1).
     * Returns {y, dx, dweight-contributions-by-param, dbias} with param index pidx.
     */
    private interface Index {
        int at(int group, int k);
    }

    private static double[][] reference(int groups, int len, Index idx, Index param, int params, float[] x,
                                        float[] w, float[] b, float[] dy, boolean center, double eps) {
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        double[] dw = new double[params];
        double[] db = new double[params];
        for (int r = 0; r < groups; r++) {
            double m = 0;
            for (int k = 0; k < len; k++) {
                m += x[idx.at(r, k)];
            }
            m = center ? m / len : 0;
            double v = 0;
            for (int k = 0; k < len; k++) {
                double d = x[idx.at(r, k)] - m;
                v += d * d;
            }
            double rs = 1 / Math.sqrt(v / len + eps);
            double sg = 0;
            double sgx = 0;
            for (int k = 0; k < len; k++) {
                int i = idx.at(r, k);
                int p = param.at(r, k);
                double xh = (x[i] - m) * rs;
                y[i] = xh * (w == null ? 1 : w[p]) + (b == null ? 0 : b[p]);
                double g = dy[i] * (w == null ? 1 : w[p]);
                sg += g;
                sgx += g * xh;
                dw[p] += dy[i] * xh;
                db[p] += dy[i];
            }
            for (int k = 0; k < len; k++) {
                int i = idx.at(r, k);
                int p = param.at(r, k);
                double xh = (x[i] - m) * rs;
                double g = dy[i] * (w == null ? 1 : w[p]);
                dx[i] = rs * (g - (center ? sg / len : 0) - xh * sgx / len);
            }
        }
        return new double[][] {y, dx, dw, db};
    }

    @ParameterizedTest(name = "rows{0} d{1} affine{2} center{3}")
    @CsvSource({"1, 1, true, true", "7, 17, true, true", "63, 7, false, true", "17, 129, true, false",
                "5, 1, false, false", "40, 33, true, false"})
    void layerAndRmsNormMatchNaiveReference(int rows, int d, boolean affine, boolean center) {
        SplittableRandom rnd = new SplittableRandom(rows * 7 + d);
        float[] x = random(rnd, rows * d);
        float[] dy = random(rnd, rows * d);
        float[] w = affine ? random(rnd, d) : null;
        float[] b = affine && center ? random(rnd, d) : null;
        float[] y = new float[x.length];
        float[] mean = center ? new float[rows] : null;
        float[] rstd = new float[rows];
        Norm.forward(rows, d, x, 0, w, b, 1e-5f, y, mean, rstd);
        float[] dx = new float[x.length];
        float[] dw = new float[d];
        float[] db = new float[d];
        Norm.backward(rows, d, x, 0, w, mean, rstd, dy, 0, dx, dw, db);
        double[][] ref = reference(rows, d, (r, k) -> r * d + k, (r, k) -> k, d, x, w, b, dy, center, 1e-5);
        // d = 1 without centering is x/|x|-like: keep tolerances relative
        assertClose("forward", y, ConvReference.toFloat(ref[0]), 1e-4);
        assertClose("grad input", dx, ConvReference.toFloat(ref[1]), 2e-3);
        assertClose("grad weight", dw, ConvReference.toFloat(ref[2]), 1e-4);
        assertClose("grad bias", db, ConvReference.toFloat(ref[3]), 1e-4);
    }

    @ParameterizedTest(name = "n{0} c{1} s{2} training{3}")
    @CsvSource({"2, 1, 1, true", "7, 3, 1, true", "4, 17, 7, true", "3, 5, 9, false", "1, 2, 17, true"})
    void batchNormMatchesNaiveReference(int n, int c, int s, boolean training) {
        SplittableRandom rnd = new SplittableRandom(n * 11 + c * 3 + s);
        float[] x = random(rnd, n * c * s);
        float[] dy = random(rnd, x.length);
        float[] w = random(rnd, c);
        float[] b = random(rnd, c);
        float[] rm = random(rnd, c);
        float[] rv = new float[c];
        for (int i = 0; i < c; i++) {
            rv[i] = 0.5f + i;
        }
        float[] rm0 = rm.clone();
        float[] rv0 = rv.clone();
        float[] y = new float[x.length];
        float[] mean = new float[c];
        float[] rstd = new float[c];
        BatchNorm.forward(n, c, s, x, 0, w, b, rm, rv, training, 0.1f, 1e-5f, y, mean, rstd);
        float[] dx = new float[x.length];
        float[] dw = new float[c];
        float[] db = new float[c];
        BatchNorm.backward(n, c, s, x, 0, w, mean, rstd, training, dy, 0, dx, dw, db);
        int len = n * s;
        Index idx = (ch, k) -> ((k / s) * c + ch) * s + k % s;
        Index param = (ch, k) -> ch;
        if (training) {
            double[][] ref = reference(c, len, idx, param, c, x, w, b, dy, true, 1e-5);
            assertClose("forward", y, ConvReference.toFloat(ref[0]), 1e-4);
            assertClose("grad input", dx, ConvReference.toFloat(ref[1]), 1e-3);
            assertClose("grad weight", dw, ConvReference.toFloat(ref[2]), 1e-4);
            assertClose("grad bias", db, ConvReference.toFloat(ref[3]), 1e-4);
            float[] erm = new float[c];
            float[] erv = new float[c];
            for (int ch = 0; ch < c; ch++) {
                double m = 0;
                for (int k = 0; k < len; k++) {
                    m += x[idx.at(ch, k)];
                }
                m /= len;
                double v = 0;
                for (int k = 0; k < len; k++) {
                    v += (x[idx.at(ch, k)] - m) * (x[idx.at(ch, k)] - m);
                }
                erm[ch] = (float) (0.9 * rm0[ch] + 0.1 * m);
                erv[ch] = (float) (0.9 * rv0[ch] + 0.1 * v / (len - 1));
            }
            assertClose("running mean", rm, erm, 1e-5);
            assertClose("running var", rv, erv, 1e-5);
        } else {
            float[] ey = new float[x.length];
            float[] edx = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                int ch = (i / s) % c;
                double rs = 1 / Math.sqrt(rv0[ch] + 1e-5);
                ey[i] = (float) ((x[i] - rm0[ch]) * rs * w[ch] + b[ch]);
                edx[i] = (float) (dy[i] * w[ch] * rs);
            }
            assertClose("eval forward", y, ey, 1e-5);
            assertClose("eval grad input", dx, edx, 1e-5);
            assertClose("running mean untouched", rm, rm0, 0);
        }
    }
}
