package dev.jumbo.kernels;

import java.util.Arrays;

/**
 * Unfolds one image's channels into the convolution matrix and folds gradients back.
 *
 * <p>The matrix {@code col} is [c*kh*kw, oh*ow] row-major, rows ordered (channel, ky, kx) like the
 * weight [cout, c, kh, kw], so the convolution is {@code W x col}. Each row is filled output-row by
 * output-row; with stride 1 an output row is one {@code arraycopy} between two zero fills.
 */
public final class Im2col {
    private Im2col() {}

    /** col[c*kh*kw, oh*ow] = unfold(x[c, h, w]) for the first {@code channels} channels at xOff. */
    public static void im2col(ConvGeometry g, int channels, float[] x, int xOff, float[] col, int colOff) {
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow, p = g.pixels;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int dst = colOff + row * p;
                    int ix0 = kx * g.dw - g.pw;
                    // output columns whose input column lies inside the image
                    int lo = ix0 >= 0 ? 0 : Math.min(ow, ceilDiv(-ix0, g.sw));
                    int hi = w - ix0 <= 0 ? lo : Math.max(lo, Math.min(ow, ceilDiv(w - ix0, g.sw)));
                    for (int oy = 0; oy < oh; oy++, dst += ow) {
                        int iy = oy * g.sh - g.ph + ky * g.dh;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = plane + iy * w + ix0;
                        if (lo > 0) {
                            Arrays.fill(col, dst, dst + lo, 0f);
                        }
                        if (g.sw == 1) {
                            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                col[dst + ox] = x[src + ox * g.sw];
                            }
                        }
                        if (hi < ow) {
                            Arrays.fill(col, dst + hi, dst + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** dx[c, h, w] += fold(col[c*kh*kw, oh*ow]): the adjoint of {@link #im2col}. */
    public static void col2im(ConvGeometry g, int channels, float[] col, int colOff, float[] dx, int dxOff) {
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow, p = g.pixels;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = dxOff + c * h * w;
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int srcRow = colOff + row * p;
                    int ix0 = kx * g.dw - g.pw;
                    int lo = ix0 >= 0 ? 0 : Math.min(ow, ceilDiv(-ix0, g.sw));
                    int hi = w - ix0 <= 0 ? lo : Math.max(lo, Math.min(ow, ceilDiv(w - ix0, g.sw)));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.sh - g.ph + ky * g.dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = plane + iy * w + ix0;
                        int src = srcRow + oy * ow;
                        if (g.sw == 1) {
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox] += col[src + ox];
                            }
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox * g.sw] += col[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
