package dev.jumbo.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unfolds one image's channels into the convolution matrix and folds gradients back.
 *
 * <p>The matrix {@code col} is [c*kh*kw, oh*ow] row-major, rows ordered (channel, ky, kx) like the
 * weight [cout, c, kh, kw], so the convolution is {@code W x col}. Each row is filled output-row by
 * output-row; with stride 1 an output row is one {@code arraycopy} between two zero fills. When the
 * output is as wide as the input at stride 1 ("same" convolutions: LeNet conv1, ResNet 3x3), a whole row of
 * {@code col} is one shifted copy of the plane, and only the wrapped-around border columns are
 * cleared afterwards.
 */
public final class Im2col {
    private Im2col() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** col[c*kh*kw, oh*ow] = unfold(x[c, h, w]) for the first {@code channels} channels at xOff. */
    public static void im2col(ConvGeometry g, int channels, float[] x, int xOff, float[] col, int colOff) {
        if (narrow(g)) {
            im2colNarrow(g, channels, x, xOff, col, colOff);
            return;
        }
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
                    if (g.sw == 1 && g.sh == 1 && ow == w && hi > lo) {
                        shiftedCopy(g, ky, lo, hi, x, plane + ix0, col, dst);
                        continue;
                    }
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
        if (narrow(g)) {
            col2imNarrow(g, channels, col, colOff, dx, dxOff);
            return;
        }
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
                            addRow(col, src + lo, dx, dst + lo, hi - lo);
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

    /**
     * Stride 1, no dilation, input and output rows no wider than a vector (LeNet conv2: 14 -> 10):
     * there each row segment is a few floats, and one masked vector load and store per segment
     * (padding lanes masked off read as zero) beats an arraycopy and two fills by about 3x.
     */
    private static boolean narrow(ConvGeometry g) {
        return g.sw == 1 && g.sh == 1 && g.dw == 1 && g.dh == 1 && g.w <= S.length() && g.ow <= S.length();
    }

    /** Lanes [lo, hi) of a vector. */
    private static VectorMask<Float> lanes(int lo, int hi) {
        return S.indexInRange(-lo, hi - lo);
    }

    private static void im2colNarrow(ConvGeometry g, int channels, float[] x, int xOff, float[] col, int colOff) {
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow, p = g.pixels;
        VectorMask<Float> out = lanes(0, ow);
        FloatVector zero = FloatVector.zero(S);
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int shift = kx - g.pw; // output column ox reads input column ox + shift
                    VectorMask<Float> in = lanes(Math.max(0, -shift), Math.min(ow, w - shift));
                    int dst = colOff + row * p;
                    for (int oy = 0; oy < oh; oy++, dst += ow) {
                        int iy = oy - g.ph + ky;
                        FloatVector v = iy < 0 || iy >= h ? zero
                                : FloatVector.fromArray(S, x, plane + iy * w + shift, in);
                        v.intoArray(col, dst, out);
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2colNarrow}: per kernel column (one mask), each dx row gathers its
     * kh contributions in a register and is stored once, so no store overlaps the next load.
     */
    private static void col2imNarrow(ConvGeometry g, int channels, float[] col, int colOff, float[] dx, int dxOff) {
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow, p = g.pixels, kh = g.kh, kw = g.kw;
        VectorMask<Float> row = lanes(0, w);
        for (int c = 0; c < channels; c++) {
            int plane = dxOff + c * h * w;
            int cRows = colOff + c * kh * kw * p;
            for (int kx = 0; kx < kw; kx++) {
                int shift = kx - g.pw; // input column ix takes output column ix - shift
                VectorMask<Float> m = lanes(Math.max(0, shift), Math.min(w, ow + shift));
                for (int iy = 0; iy < h; iy++) {
                    int ky0 = Math.max(0, iy + g.ph - oh + 1);
                    int ky1 = Math.min(kh, iy + g.ph + 1);
                    if (ky0 >= ky1) {
                        continue;
                    }
                    FloatVector acc = FloatVector.fromArray(S, dx, plane + iy * w, row);
                    for (int ky = ky0; ky < ky1; ky++) {
                        int oy = iy + g.ph - ky;
                        acc = acc.add(FloatVector.fromArray(S, col, cRows + (ky * kw + kx) * p + oy * ow - shift, m));
                    }
                    acc.intoArray(dx, plane + iy * w, row);
                }
            }
        }
    }

    /**
     * One col row of a stride-1 convolution whose output is as wide as the input: output pixel
     * (oy, ox) reads plane[iy * w + ix0 + ox], so all valid rows form one contiguous copy; the
     * columns outside [lo, hi) picked up neighbours' pixels and are cleared.
     */
    private static void shiftedCopy(ConvGeometry g, int ky, int lo, int hi, float[] x, int planeShifted,
                                    float[] col, int dst) {
        int ow = g.ow;
        int shiftY = ky * g.dh - g.ph;
        int oy0 = Math.min(g.oh, Math.max(0, -shiftY));
        int oy1 = Math.max(oy0, Math.min(g.oh, g.h - shiftY));
        Arrays.fill(col, dst, dst + oy0 * ow, 0f);
        Arrays.fill(col, dst + oy1 * ow, dst + g.oh * ow, 0f);
        if (oy1 == oy0) {
            return;
        }
        int from = oy0 * ow + lo;
        int to = (oy1 - 1) * ow + hi;
        System.arraycopy(x, planeShifted + shiftY * g.w + from, col, dst + from, to - from);
        if (lo > 0 || hi < ow) {
            clearBorders(col, dst, oy0, oy1, ow, lo, hi);
        }
    }

    /** Zeroes columns [0, lo) and [hi, ow) of rows [oy0, oy1): one masked store per side when it fits a vector. */
    private static void clearBorders(float[] col, int dst, int oy0, int oy1, int ow, int lo, int hi) {
        int l = S.length();
        if (lo > l || ow - hi > l) {
            for (int oy = oy0; oy < oy1; oy++) {
                Arrays.fill(col, dst + oy * ow, dst + oy * ow + lo, 0f);
                Arrays.fill(col, dst + oy * ow + hi, dst + (oy + 1) * ow, 0f);
            }
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> left = S.indexInRange(0, lo);
        VectorMask<Float> right = S.indexInRange(0, ow - hi);
        for (int oy = oy0; oy < oy1; oy++) {
            int r = dst + oy * ow;
            zero.intoArray(col, r, left);
            zero.intoArray(col, r + hi, right);
        }
    }

    /** dst[dOff .. dOff+len) += src[sOff .. sOff+len), vectorized. */
    private static void addRow(float[] src, int sOff, float[] dst, int dOff, int len) {
        int l = S.length();
        int i = 0;
        for (; i + l <= len; i += l) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, dst, dOff + i, m).add(FloatVector.fromArray(S, src, sOff + i, m))
                    .intoArray(dst, dOff + i, m);
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
