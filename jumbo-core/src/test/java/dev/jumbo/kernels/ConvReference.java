package dev.jumbo.kernels;

/** Naive scalar convolution (float64 accumulation): what {@link Conv2d} is tested against. */
final class ConvReference {
    private ConvReference() {}

    static float[] forward(ConvGeometry g, float[] x, float[] w, float[] b) {
        float[] y = new float[g.n * g.cout * g.pixels];
        for (int n = 0; n < g.n; n++) {
            for (int oc = 0; oc < g.cout; oc++) {
                int grp = oc / g.coutG;
                for (int oy = 0; oy < g.oh; oy++) {
                    for (int ox = 0; ox < g.ow; ox++) {
                        double s = b == null ? 0 : b[oc];
                        for (int ci = 0; ci < g.cinG; ci++) {
                            int c = grp * g.cinG + ci;
                            for (int ky = 0; ky < g.kh; ky++) {
                                for (int kx = 0; kx < g.kw; kx++) {
                                    int iy = oy * g.sh - g.ph + ky * g.dh;
                                    int ix = ox * g.sw - g.pw + kx * g.dw;
                                    if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
                                        continue;
                                    }
                                    s += (double) x[((n * g.cin + c) * g.h + iy) * g.w + ix]
                                            * w[((oc * g.cinG + ci) * g.kh + ky) * g.kw + kx];
                                }
                            }
                        }
                        y[((n * g.cout + oc) * g.oh + oy) * g.ow + ox] = (float) s;
                    }
                }
            }
        }
        return y;
    }

    /** Returns {dx, dw, db} by scattering every forward product's gradient. */
    static float[][] backward(ConvGeometry g, float[] x, float[] w, float[] dy) {
        double[] dx = new double[g.n * g.cin * g.h * g.w];
        double[] dw = new double[g.cout * g.kdim];
        double[] db = new double[g.cout];
        for (int n = 0; n < g.n; n++) {
            for (int oc = 0; oc < g.cout; oc++) {
                int grp = oc / g.coutG;
                for (int oy = 0; oy < g.oh; oy++) {
                    for (int ox = 0; ox < g.ow; ox++) {
                        double gy = dy[((n * g.cout + oc) * g.oh + oy) * g.ow + ox];
                        db[oc] += gy;
                        for (int ci = 0; ci < g.cinG; ci++) {
                            int c = grp * g.cinG + ci;
                            for (int ky = 0; ky < g.kh; ky++) {
                                for (int kx = 0; kx < g.kw; kx++) {
                                    int iy = oy * g.sh - g.ph + ky * g.dh;
                                    int ix = ox * g.sw - g.pw + kx * g.dw;
                                    if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
                                        continue;
                                    }
                                    int xi = ((n * g.cin + c) * g.h + iy) * g.w + ix;
                                    int wi = ((oc * g.cinG + ci) * g.kh + ky) * g.kw + kx;
                                    dx[xi] += gy * w[wi];
                                    dw[wi] += gy * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new float[][] {toFloat(dx), toFloat(dw), toFloat(db)};
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
