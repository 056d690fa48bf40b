package dev.jumbo.kernels;

import java.util.Arrays;

/**
 * NCHW float32 2-d convolution (stride, padding, dilation, groups) as im2col + {@link Sgemm}, and
 * its backward (grad input via col2im, grad weight, grad bias).
 *
 * <p>Images are spread over the {@link Parallel} pool in a fixed partition; each chunk unfolds into
 * a per-thread scratch buffer that is reused across calls (training calls this thousands of times).
 * Grad weight is accumulated per chunk and the chunk sums are added in chunk order, so results are
 * bit-identical for a given thread count.
 *
 * <pre>{@code
 * ConvGeometry g = new ConvGeometry(n, cin, h, w, cout, 3, 3, 1, 1, 1, 1, 1, 1, 1);
 * Conv2d.forward(g, x, 0, weight, 0, bias, 0, y, 0);        // y = [n, cout, oh, ow]
 * Conv2d.backward(g, x, 0, weight, 0, dy, 0, dx, dw, db);   // any of dx, dw, db may be null
 * }</pre>
 */
public final class Conv2d {
    private Conv2d() {}

    /**
     * Layers with at most this many output channels per group compute grad weight with
     * {@link ConvGemm#panelDotLanes}; when, in addition, the unfolded rows (cin/groups*kh*kw) are at
     * most {@link #SMALL_KDIM}, forward and grad input use {@link ConvGemm#smallTimesPanel}. Measured
     * here: LeNet conv1 (6 x 25) is 2x faster than SGEMM on both; for LeNet conv2 (16 x 150) SGEMM
     * wins forward and grad input, the dot products win grad weight.
     */
    static final int SMALL_COUT = Integer.getInteger("jumbo.conv.smallCout", 16);
    static final int SMALL_KDIM = Integer.getInteger("jumbo.conv.smallKdim", 64);

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    /** A per-thread buffer of at least {@code size} floats; contents undefined. */
    static float[] scratch(int size) {
        return scratch(0, size);
    }

    /** Per-thread buffer {@code which} (0: im2col columns, 1: grad-weight lane sums), grown to {@code size}. */
    private static float[] scratch(int which, int size) {
        float[][] holder = SCRATCH.get();
        if (holder[which].length < size) {
            holder[which] = new float[size];
        }
        return holder[which];
    }

    /** y = conv(x, weight) + bias; {@code bias} may be null. Overwrites y. */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] weight, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        int inImage = g.cin * g.h * g.w;
        int outImage = g.cout * g.pixels;
        boolean small = g.coutG <= SMALL_COUT && g.kdim <= SMALL_KDIM;
        Parallel.forRange(0, g.n, 1, (from, to) -> {
            float[] col = g.pointwise() ? null : scratch(g.kdim * g.pixels);
            for (int img = from; img < to; img++) {
                int yBase = yOff + img * outImage;
                for (int c = 0; c < g.cout; c++) {
                    Arrays.fill(y, yBase + c * g.pixels, yBase + (c + 1) * g.pixels, bias == null ? 0f : bias[bOff + c]);
                }
                for (int grp = 0; grp < g.groups; grp++) {
                    int xg = xOff + img * inImage + grp * g.cinG * g.h * g.w;
                    float[] b = x;
                    int bo = xg;
                    if (col != null) {
                        Im2col.im2col(g, g.cinG, x, xg, col, 0);
                        b = col;
                        bo = 0;
                    }
                    if (small) {
                        ConvGemm.smallTimesPanel(g.coutG, g.pixels, g.kdim, weight, wOff + grp * g.coutG * g.kdim,
                                g.kdim, 1, b, bo, y, yBase + grp * g.coutG * g.pixels, true);
                    } else {
                        Sgemm.sgemm(false, false, g.coutG, g.pixels, g.kdim, 1f,
                                weight, wOff + grp * g.coutG * g.kdim, g.kdim, b, bo, g.pixels,
                                1f, y, yBase + grp * g.coutG * g.pixels, g.pixels);
                    }
                }
            }
        });
    }

    /**
     * Gradients of {@link #forward}: dx = conv^T(dy, weight), dw = sum over images of dy x col^T,
     * db = sum of dy per output channel. Each of dx, dw, db is overwritten (offset 0, dense) or
     * skipped when null.
     */
    public static void backward(ConvGeometry g, float[] x, int xOff, float[] weight, int wOff,
                                float[] dy, int dyOff, float[] dx, float[] dw, float[] db) {
        int inImage = g.cin * g.h * g.w;
        int outImage = g.cout * g.pixels;
        int wSize = g.cout * g.kdim;
        if (db != null) {
            biasGrad(g, dy, dyOff, db);
        }
        if (dx == null && dw == null) {
            return;
        }
        if (dx != null) {
            Arrays.fill(dx, 0, g.n * inImage, 0f);
        }
        int chunks = Math.min(Parallel.threads(), g.n);
        float[][] partial = dw == null ? null : new float[chunks][];
        boolean pointwise = g.pointwise();
        boolean smallW = g.coutG <= SMALL_COUT;
        boolean smallX = smallW && g.kdim <= SMALL_KDIM;
        int colSize = g.kdim * g.pixels;
        Parallel.forChunks(chunks, chunk -> {
            int from = (int) ((long) g.n * chunk / chunks);
            int to = (int) ((long) g.n * (chunk + 1) / chunks);
            // one buffer: [col | dcol]
            float[] buf = pointwise ? null : scratch(2 * colSize);
            float[] pw = null;
            // grad weight of small layers: one vector of lane sums per weight, reduced after the last image
            float[] lanes = dw != null && smallW ? scratch(1, wSize * ConvGemm.lanes()) : null;
            if (lanes != null) {
                Arrays.fill(lanes, 0, wSize * ConvGemm.lanes(), 0f);
            }
            if (dw != null) {
                pw = chunk == 0 ? dw : new float[wSize];
                if (chunk == 0) {
                    Arrays.fill(dw, 0, wSize, 0f);
                }
                partial[chunk] = pw;
            }
            for (int img = from; img < to; img++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int xg = xOff + img * inImage + grp * g.cinG * g.h * g.w;
                    int dyg = dyOff + img * outImage + grp * g.coutG * g.pixels;
                    int wg = wOff + grp * g.coutG * g.kdim;
                    if (pw != null) {
                        float[] b = x;
                        int bo = xg;
                        if (!pointwise) {
                            Im2col.im2col(g, g.cinG, x, xg, buf, 0);
                            b = buf;
                            bo = 0;
                        }
                        // dW_g [coutG, kdim] += dY_g [coutG, P] x col^T [P, kdim]
                        if (smallW) {
                            ConvGemm.panelDotLanes(g.coutG, g.kdim, g.pixels, dy, dyg, b, bo, lanes,
                                    grp * g.coutG * g.kdim * ConvGemm.lanes());
                        } else {
                            Sgemm.sgemm(false, true, g.coutG, g.kdim, g.pixels, 1f, dy, dyg, g.pixels,
                                    b, bo, g.pixels, 1f, pw, grp * g.coutG * g.kdim, g.kdim);
                        }
                    }
                    if (dx != null) {
                        int dxg = img * inImage + grp * g.cinG * g.h * g.w;
                        if (smallX) {
                            // dX (or dcol) [kdim, P] = W_g^T [kdim, coutG] x dY_g [coutG, P]
                            float[] dst = pointwise ? dx : buf;
                            int dOff = pointwise ? dxg : colSize;
                            ConvGemm.smallTimesPanel(g.kdim, g.pixels, g.coutG, weight, wg, 1, g.kdim, dy, dyg,
                                    dst, dOff, false);
                            if (!pointwise) {
                                Im2col.col2im(g, g.cinG, buf, colSize, dx, dxg);
                            }
                        } else if (pointwise) {
                            Sgemm.sgemm(true, false, g.kdim, g.pixels, g.coutG, 1f, weight, wg, g.kdim,
                                    dy, dyg, g.pixels, 0f, dx, dxg, g.pixels);
                        } else {
                            // dcol [kdim, P] = W_g^T [kdim, coutG] x dY_g [coutG, P], folded into dx
                            Sgemm.sgemm(true, false, g.kdim, g.pixels, g.coutG, 1f, weight, wg, g.kdim,
                                    dy, dyg, g.pixels, 0f, buf, colSize, g.pixels);
                            Im2col.col2im(g, g.cinG, buf, colSize, dx, dxg);
                        }
                    }
                }
            }
            if (lanes != null) {
                ConvGemm.reduceLanes(wSize, lanes, 0, pw, 0);
            }
        });
        if (dw != null) {
            for (int c = 1; c < chunks; c++) { // fixed order: deterministic for a given thread count
                float[] p = partial[c];
                for (int i = 0; i < wSize; i++) {
                    dw[i] += p[i];
                }
            }
        }
    }

    /** db[c] = sum over images and pixels of dy[:, c]; channels in parallel, each summed in order. */
    static void biasGrad(ConvGeometry g, float[] dy, int dyOff, float[] db) {
        int outImage = g.cout * g.pixels;
        Parallel.forRange(0, g.cout, 16, (from, to) -> {
            for (int c = from; c < to; c++) {
                double s = 0;
                for (int img = 0; img < g.n; img++) {
                    int base = dyOff + img * outImage + c * g.pixels;
                    s += ConvGemm.sum(dy, base, g.pixels);
                }
                db[c] = (float) s;
            }
        });
    }
}
