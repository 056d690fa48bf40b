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
        im2col(g, channels, x, xOff, col, colOff, g.pixels);
    }

    /**
     * As {@link #im2col(ConvGeometry, int, float[], int, float[], int)}, with rows of {@code col}
     * {@code ld} floats apart: several images unfold side by side into one wide matrix.
     */
    public static void im2col(ConvGeometry g, int channels, float[] x, int xOff, float[] col, int colOff, int ld) {
        im2col(g, channels, x, xOff, col, colOff, ld, 0, g.oh);
    }

    /**
     * As {@link #im2col(ConvGeometry, int, float[], int, float[], int, int)} for output rows
     * {@code [oy0, oy1)} only: column {@code (oy - oy0) * ow + ox} of each row of {@code col}. A
     * large image unfolds a few output rows at a time, so the unfolded block stays in L2.
     */
    public static void im2col(ConvGeometry g, int channels, float[] x, int xOff, float[] col, int colOff, int ld,
                              int oy0, int oy1) {
        int h = g.h, w = g.w, ow = g.ow, p = ld;
        // rows shorter than a vector are copied with one masked load/store instead of arraycopy
        boolean shortRows = g.sw == 1 && ow <= S.length();
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
                    if (g.sw == 1 && g.sh == 1 && ow == w && hi > lo && !shortRows) {
                        shiftedCopy(g, ky, lo, hi, x, plane + ix0, col, dst, oy0, oy1);
                        continue;
                    }
                    VectorMask<Float> store = shortRows ? S.indexInRange(0, ow) : null;
                    VectorMask<Float> load = shortRows ? S.indexInRange(0, hi).andNot(S.indexInRange(0, lo)) : null;
                    for (int oy = oy0; oy < oy1; oy++, dst += ow) {
                        int iy = oy * g.sh - g.ph + ky * g.dh;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = plane + iy * w + ix0;
                        if (shortRows) {
                            // lanes [lo, hi) from x, the others zero: the whole row in one store
                            FloatVector.fromArray(S, x, src, load).intoArray(col, dst, store);
                            continue;
                        }
                        if (lo > 0) {
                            Arrays.fill(col, dst, dst + lo, 0f);
                        }
                        if (g.sw == 1) {
                            copyRow(x, src + lo, col, dst + lo, hi - lo);
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
        col2im(g, channels, col, colOff, g.pixels, dx, dxOff);
    }

    /** As {@link #col2im(ConvGeometry, int, float[], int, float[], int)}, with col rows {@code ld} apart. */
    public static void col2im(ConvGeometry g, int channels, float[] col, int colOff, int ld, float[] dx, int dxOff) {
        col2im(g, channels, col, colOff, ld, dx, dxOff, 0, g.oh);
    }

    /**
     * As {@link #col2im(ConvGeometry, int, float[], int, int, float[], int)} for the output rows
     * {@code [oy0, oy1)} that {@code col} holds (laid out as {@link #im2col(ConvGeometry, int,
     * float[], int, float[], int, int, int, int)} writes them).
     */
    public static void col2im(ConvGeometry g, int channels, float[] col, int colOff, int ld, float[] dx, int dxOff,
                              int oy0, int oy1) {
        if (g.sw == 1 && g.w <= S.length() && g.ow <= S.length()) {
            col2imShortRows(g, channels, col, colOff, ld, dx, dxOff, oy0, oy1);
            return;
        }
        int h = g.h, w = g.w, ow = g.ow, p = ld;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = dxOff + c * h * w;
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int srcRow = colOff + row * p;
                    int ix0 = kx * g.dw - g.pw;
                    int lo = ix0 >= 0 ? 0 : Math.min(ow, ceilDiv(-ix0, g.sw));
                    int hi = w - ix0 <= 0 ? lo : Math.max(lo, Math.min(ow, ceilDiv(w - ix0, g.sw)));
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * g.sh - g.ph + ky * g.dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = plane + iy * w + ix0;
                        int src = srcRow + (oy - oy0) * ow;
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
     * {@link #col2im} when an input row fits one vector (stride 1 along x): each dx row is gathered
     * in a register from every col row that lands on it and stored once. (Adding col rows into dx
     * one at a time made each masked store feed the next, overlapping load: ~17 us per LeNet conv2
     * image, store-forwarding stalls.)
     */
    private static void col2imShortRows(ConvGeometry g, int channels, float[] col, int colOff, int ld,
                                        float[] dx, int dxOff, int oy0, int oy1) {
        int h = g.h, w = g.w, ow = g.ow;
        VectorMask<Float> rowMask = S.indexInRange(0, w);
        for (int c = 0; c < channels; c++) {
            int plane = dxOff + c * h * w;
            for (int iy = 0; iy < h; iy++) {
                FloatVector acc = FloatVector.fromArray(S, dx, plane + iy * w, rowMask);
                for (int ky = 0; ky < g.kh; ky++) {
                    int t = iy + g.ph - ky * g.dh;
                    if (t < 0 || t % g.sh != 0 || t / g.sh < oy0 || t / g.sh >= oy1) {
                        continue;
                    }
                    int rowBase = colOff + (c * g.kh + ky) * g.kw * ld + (t / g.sh - oy0) * ow;
                    for (int kx = 0; kx < g.kw; kx++) {
                        int ix0 = kx * g.dw - g.pw;
                        // input column j takes output column j - ix0 when that lies in [0, ow)
                        VectorMask<Float> m = S.indexInRange(0, Math.min(w, ix0 + ow))
                                .andNot(S.indexInRange(0, Math.max(0, ix0)));
                        acc = acc.add(FloatVector.fromArray(S, col, rowBase + kx * ld - ix0, m));
                    }
                }
                acc.intoArray(dx, plane + iy * w, rowMask);
            }
        }
    }

    /**
     * One col row of a stride-1 convolution whose output is as wide as the input: output pixel
     * (oy, ox) reads plane[iy * w + ix0 + ox], so all valid rows form one contiguous copy; the
     * columns outside [lo, hi) picked up neighbours' pixels and are cleared.
     */
    private static void shiftedCopy(ConvGeometry g, int ky, int lo, int hi, float[] x, int planeShifted,
                                    float[] col, int dst, int first, int end) {
        int ow = g.ow;
        int shiftY = ky * g.dh - g.ph;
        // output rows [oy0, oy1) of [first, end) read inside the image; dst holds row first
        int oy0 = Math.min(end, Math.max(first, -shiftY));
        int oy1 = Math.max(oy0, Math.min(end, g.h - shiftY));
        int base = dst - first * ow;
        Arrays.fill(col, dst, base + oy0 * ow, 0f);
        Arrays.fill(col, base + oy1 * ow, base + end * ow, 0f);
        if (oy1 == oy0) {
            return;
        }
        int from = oy0 * ow + lo;
        int to = (oy1 - 1) * ow + hi;
        System.arraycopy(x, planeShifted + shiftY * g.w + from, col, base + from, to - from);
        for (int oy = oy0; oy < oy1; oy++) {
            int r = base + oy * ow;
            for (int ox = 0; ox < lo; ox++) {
                col[r + ox] = 0f;
            }
            for (int ox = hi; ox < ow; ox++) {
                col[r + ox] = 0f;
            }
        }
    }

    /**
     * dst[dOff .. dOff+len) = src[sOff .. sOff+len). Rows of one to a few vectors (LeNet conv2's 10
     * floats with 8-lane vectors) are vector copies whose last vector overlaps the one before it
     * instead of an {@code arraycopy} call per row; shorter rows are copied in scalar.
     */
    private static void copyRow(float[] src, int sOff, float[] dst, int dOff, int len) {
        int l = S.length();
        if (len < l || len > 4 * l) {
            System.arraycopy(src, sOff, dst, dOff, len);
            return;
        }
        for (int i = 0; i < len - l; i += l) {
            FloatVector.fromArray(S, src, sOff + i).intoArray(dst, dOff + i);
        }
        FloatVector.fromArray(S, src, sOff + len - l).intoArray(dst, dOff + len - l);
    }

    /**
     * dst[dOff .. dOff+len) += src[sOff .. sOff+len): full vectors, then the tail in scalar (a
     * masked tail cost more than the rest of a 10-float row with 8-lane vectors).
     */
    private static void addRow(float[] src, int sOff, float[] dst, int dOff, int len) {
        int l = S.length();
        int i = 0;
        for (; i + l <= len; i += l) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < len; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
