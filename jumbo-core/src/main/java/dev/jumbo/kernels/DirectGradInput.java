package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Grad input of a stride-1 convolution whose input rows fit one vector (LeNet conv2's 14x14
 * maps), computed directly instead of as W^T x dY followed by col2im:
 * {@code dx[ci, iy, :] = sum over co, ky, kx of W[co, ci, ky, kx] * dy[co, iy + ph - ky*dh, : + pw - kx*dw]}.
 *
 * <p>Each input row is one vector. dY is first copied into a zero-bordered buffer ({@link Plan})
 * so every shifted row is one unmasked load and out-of-image taps read zeros. The register tile is
 * 3 input channels x 7 rows (21 accumulators: AVX-512's 32 registers only): each dY load feeds
 * three weights, each weight broadcast seven rows. A channel or row past the end repeats the last
 * one (computed twice, stored twice with the same value), so there is no tail code.
 *
 * <p>The direct form does about h*L/(oh*ow) times the multiply-adds of the product (2.2x for LeNet
 * conv2) but writes and re-reads no unfolded gradient. On LeNet conv2 (Zen 5, one thread) it takes
 * 6.1 us per image against 3.0 for the product plus 4.9 for col2im, whose masked loads read a
 * 150 x 800 matrix from L2 in 25-row strides; {@link #applies} weighs the two with that measure.
 *
 * <pre>{@code
 * Plan p = DirectGradInput.plan(g, weight, 0);  // per backward call
 * float[] buf = new float[p.floats()];          // zeroed once; the borders stay zero
 * p.fill(g, dy, dyOffOfImageGroup, buf, 0);     // per image and group
 * DirectGradInput.gradInput(g, p, group, buf, 0, dx, dxOffOfImageGroup);
 * }</pre>
 */
final class DirectGradInput {
    private DirectGradInput() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** {@code -Djumbo.conv.direct=false} keeps every layer on the product and col2im (for comparisons). */
    private static final boolean ENABLED = !"false".equals(System.getProperty("jumbo.conv.direct"));
    /**
     * What one masked load-add of col2im costs in vector multiply-adds of the product: 4.9 us for
     * LeNet conv2's 2,100 per image against 3.0 us for its 15,000 (Zen 5).
     */
    private static final int COL2IM_COST = 11;

    /**
     * Whether a layer's grad input runs here: 16-lane vectors (the tile needs 32 registers), stride
     * 1, input and output rows of at most one vector, not pointwise (that grad input is one product,
     * nothing to fold), and fewer multiply-adds than the product plus col2im, counting the tile's
     * padding to whole tiles and each col2im load-add as {@link #COL2IM_COST}.
     */
    static boolean applies(ConvGeometry g) {
        if (!ENABLED || L < 16 || g.pointwise() || g.sh != 1 || g.sw != 1 || g.w > L || g.ow > L) {
            return false;
        }
        int taps = g.kh * g.kw;
        long direct = (long) ceil(g.cinG, TILE_CHANNELS) * ceil(g.h, TILE_ROWS) * g.coutG * taps;
        long product = (long) g.kdim * g.coutG * g.pixels / L;
        long col2im = (long) g.cinG * taps * g.h;
        return direct <= product + COL2IM_COST * col2im;
    }

    /** n rounded up to a multiple of m. */
    private static int ceil(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** Input channels times rows of the register tile. */
    private static final int TILE_CHANNELS = 3;
    private static final int TILE_ROWS = 7;

    /**
     * One backward call's plan: the zero-bordered copy of one image's (one group's) dY,
     * [coutG, rows, cols] with the image at (top, left); the buffer offset of each step q of the
     * kernel's flat loop over (co, ky, kx) ({@code tapOffset}); and the weights in the order that
     * loop reads them ({@code packed}: per group and tile of input channels, per step, the tile's
     * channels side by side), so the loop's indices are linear and C2 hoists their bounds checks.
     */
    record Plan(int top, int left, int rows, int cols, int coutG, int[] tapOffset, float[] packed) {
        /** Floats of the dY buffer, with a vector of slack so the last shifted load stays inside. */
        int floats() {
            return coutG * rows * cols + L;
        }

        /** Copies dy[coutG, oh, ow] (at dyOff) into the interior of buf; the borders are left as they are. */
        void fill(ConvGeometry g, float[] dy, int dyOff, float[] buf, int off) {
            VectorMask<Float> row = S.indexInRange(0, g.ow);
            for (int co = 0; co < coutG; co++) {
                for (int oy = 0; oy < g.oh; oy++) {
                    FloatVector.fromArray(S, dy, dyOff + (co * g.oh + oy) * g.ow, row)
                            .intoArray(buf, off + (co * rows + oy + top) * cols + left, row);
                }
            }
        }
    }

    /** The plan for one backward call with these weights [cout, cinG, kh, kw] at {@code wOff}. */
    static Plan plan(ConvGeometry g, float[] weight, int wOff) {
        int top = Math.max(0, (g.kh - 1) * g.dh - g.ph);
        int left = Math.max(0, (g.kw - 1) * g.dw - g.pw);
        int rows = Math.max(g.h + g.ph, g.oh) + top;
        int cols = Math.max(L + g.pw, g.ow) + left;
        int taps = g.kh * g.kw;
        int steps = g.coutG * taps;
        int[] tapOffset = new int[steps];
        for (int co = 0, q = 0; co < g.coutG; co++) {
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, q++) {
                    tapOffset[q] = co * rows * cols - ky * g.dh * cols - kx * g.dw;
                }
            }
        }
        int blocks = (g.cinG + TILE_CHANNELS - 1) / TILE_CHANNELS;
        float[] packed = new float[g.groups * blocks * steps * TILE_CHANNELS];
        int i = 0;
        for (int grp = 0; grp < g.groups; grp++) {
            for (int b = 0; b < blocks; b++) {
                for (int q = 0; q < steps; q++) {
                    int co = q / taps, t = q % taps;
                    for (int c = 0; c < TILE_CHANNELS; c++, i++) {
                        // a channel past the last repeats it (computed and stored twice, same value)
                        int ci = Math.min(b * TILE_CHANNELS + c, g.cinG - 1);
                        packed[i] = weight[wOff + ((grp * g.coutG + co) * g.cinG + ci) * taps + t];
                    }
                }
            }
        }
        return new Plan(top, left, rows, cols, g.coutG, tapOffset, packed);
    }

    /**
     * dx[cinG, h, w] (at dxOff, overwritten) = the grad input of one image and group {@code grp},
     * from its padded dY in {@code buf} ({@link Plan#fill}).
     */
    static void gradInput(ConvGeometry g, Plan p, int grp, float[] buf, int bufOff, float[] dx, int dxOff) {
        int h = g.h, w = g.w, cinG = g.cinG;
        int[] tapOffset = p.tapOffset;
        float[] packed = p.packed;
        int steps = tapOffset.length;
        int blocks = (cinG + TILE_CHANNELS - 1) / TILE_CHANNELS;
        VectorMask<Float> rowMask = S.indexInRange(0, w);
        for (int b = 0; b < blocks; b++) {
            int ci = b * TILE_CHANNELS;
            int ci1 = Math.min(ci + 1, cinG - 1), ci2 = Math.min(ci + 2, cinG - 1);
            int wb = (grp * blocks + b) * steps * TILE_CHANNELS;
            for (int iy = 0; iy < h; iy += TILE_ROWS) {
                // a row past the last repeats it, like the channels
                int r1 = Math.min(iy + 1, h - 1);
                int r2 = Math.min(iy + 2, h - 1);
                int r3 = Math.min(iy + 3, h - 1);
                int r4 = Math.min(iy + 4, h - 1);
                int r5 = Math.min(iy + 5, h - 1);
                int r6 = Math.min(iy + 6, h - 1);
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a04 = FloatVector.zero(S), a05 = FloatVector.zero(S), a06 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S), a14 = FloatVector.zero(S), a15 = FloatVector.zero(S), a16 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S), a24 = FloatVector.zero(S), a25 = FloatVector.zero(S), a26 = FloatVector.zero(S);
                int base = bufOff + (iy + g.ph + p.top) * p.cols + g.pw + p.left;
                int d1 = (r1 - iy) * p.cols;
                int d2 = (r2 - iy) * p.cols;
                int d3 = (r3 - iy) * p.cols;
                int d4 = (r4 - iy) * p.cols;
                int d5 = (r5 - iy) * p.cols;
                int d6 = (r6 - iy) * p.cols;
                for (int q = 0; q < steps; q++) {
                    int o = base + tapOffset[q];
                    int wq = wb + q * TILE_CHANNELS;
                    FloatVector b0 = FloatVector.broadcast(S, packed[wq + 0]);
                    FloatVector b1 = FloatVector.broadcast(S, packed[wq + 1]);
                    FloatVector b2 = FloatVector.broadcast(S, packed[wq + 2]);
                    FloatVector v = FloatVector.fromArray(S, buf, o);
                    a00 = b0.fma(v, a00);
                    a10 = b1.fma(v, a10);
                    a20 = b2.fma(v, a20);
                    v = FloatVector.fromArray(S, buf, o + d1);
                    a01 = b0.fma(v, a01);
                    a11 = b1.fma(v, a11);
                    a21 = b2.fma(v, a21);
                    v = FloatVector.fromArray(S, buf, o + d2);
                    a02 = b0.fma(v, a02);
                    a12 = b1.fma(v, a12);
                    a22 = b2.fma(v, a22);
                    v = FloatVector.fromArray(S, buf, o + d3);
                    a03 = b0.fma(v, a03);
                    a13 = b1.fma(v, a13);
                    a23 = b2.fma(v, a23);
                    v = FloatVector.fromArray(S, buf, o + d4);
                    a04 = b0.fma(v, a04);
                    a14 = b1.fma(v, a14);
                    a24 = b2.fma(v, a24);
                    v = FloatVector.fromArray(S, buf, o + d5);
                    a05 = b0.fma(v, a05);
                    a15 = b1.fma(v, a15);
                    a25 = b2.fma(v, a25);
                    v = FloatVector.fromArray(S, buf, o + d6);
                    a06 = b0.fma(v, a06);
                    a16 = b1.fma(v, a16);
                    a26 = b2.fma(v, a26);
                }
                int x0 = dxOff + ci * h * w, x1 = dxOff + ci1 * h * w, x2 = dxOff + ci2 * h * w;
                a00.intoArray(dx, x0 + iy * w, rowMask);
                a01.intoArray(dx, x0 + r1 * w, rowMask);
                a02.intoArray(dx, x0 + r2 * w, rowMask);
                a03.intoArray(dx, x0 + r3 * w, rowMask);
                a04.intoArray(dx, x0 + r4 * w, rowMask);
                a05.intoArray(dx, x0 + r5 * w, rowMask);
                a06.intoArray(dx, x0 + r6 * w, rowMask);
                a10.intoArray(dx, x1 + iy * w, rowMask);
                a11.intoArray(dx, x1 + r1 * w, rowMask);
                a12.intoArray(dx, x1 + r2 * w, rowMask);
                a13.intoArray(dx, x1 + r3 * w, rowMask);
                a14.intoArray(dx, x1 + r4 * w, rowMask);
                a15.intoArray(dx, x1 + r5 * w, rowMask);
                a16.intoArray(dx, x1 + r6 * w, rowMask);
                a20.intoArray(dx, x2 + iy * w, rowMask);
                a21.intoArray(dx, x2 + r1 * w, rowMask);
                a22.intoArray(dx, x2 + r2 * w, rowMask);
                a23.intoArray(dx, x2 + r3 * w, rowMask);
                a24.intoArray(dx, x2 + r4 * w, rowMask);
                a25.intoArray(dx, x2 + r5 * w, rowMask);
                a26.intoArray(dx, x2 + r6 * w, rowMask);
            }
        }
    }
}
