package dev.jumbo.kernels;

import java.util.Arrays;

/**
 * NCHW float32 2-d convolution (stride, padding, dilation, groups) as im2col + {@link Sgemm}, and
 * its backward (grad input via col2im, or {@link DirectGradInput} for maps of one vector's width;
 * grad weight; grad bias).
 *
 * <p>Images are spread over the {@link Parallel} pool in a fixed partition; each chunk unfolds into
 * a per-thread scratch buffer that is reused across calls (training calls this thousands of times).
 * Grad weight is accumulated per chunk of images and the chunk sums are added in chunk order, so
 * results are bit-identical run to run (and for any thread count).
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
     * (Also: batched small images with at most {@code SMALL_COUT} output channels per group use
     * {@link ConvGemm}, which needs no packing: 78 GFLOP/s against SGEMM's 35 on LeNet conv2's
     * 16 x 800 x 150 forward, measured single-threaded.)
     *
     * <p>Layers with at most {@code SMALL_COUT} output channels per group and at most
     * {@code SMALL_KDIM} unfolded rows (cin/groups*kh*kw) use {@link ConvGemm} instead of SGEMM.
     * Measured here: LeNet conv1 (6 x 25) runs forward, grad input and grad weight 2-4x faster than
     * SGEMM; for LeNet conv2 (16 x 150) SGEMM is as fast or faster.
     */
    static final int SMALL_COUT = Integer.getInteger("jumbo.conv.smallCout", 16);
    static final int SMALL_KDIM = Integer.getInteger("jumbo.conv.smallKdim", 64);
    /**
     * Grad weight (dY x col^T, a product whose depth is the pixels) runs as blocked dot products
     * ({@link ConvGemm#panelDots}) for layers with at most this many output channels per group
     * (besides the small layers above, which always use them), else on SGEMM. Off by default: with
     * images unfolded in chunks of rows ({@link #CHUNK_COLUMNS}), each chunk's dots pay their
     * horizontal sums again, and SGEMM won on ResNet's 64 x 576 x 3136 layer on both vector widths
     * (512-bit, batch 32, two threads: backward 74-77 ms against 106-117 ms with dots; 256-bit: 5.1-6.4
     * against 6.0-7.2 ms per image, one thread) and tied on LeNet conv2.
     */
    static final int DOTS_COUT = Integer.getInteger("jumbo.conv.dotsCout", 0);
    /**
     * Grad weight of layers whose input channels per group fill whole SGEMM panels (e.g. 32, 64,
     * 128 channels) packs its B panels straight from a channels-last copy of each image
     * ({@link ChannelsLastPanels}) instead of unfolding the image and transposing the unfolding into panels.
     * {@code -Djumbo.conv.channelsLast=false} turns it off (for comparisons).
     */
    static final boolean CHANNELS_LAST = !"false".equals(System.getProperty("jumbo.conv.channelsLast"));
    /**
     * Fixed image ranges of the backward pass, claimed by whichever thread is free (more than the
     * cores, so a descheduled thread does not hold up the step); a constant, so grad weight is
     * bit-identical for any thread count.
     */
    private static final int BACKWARD_CHUNKS = 8;
    /**
     * Layers with few output pixels on the SGEMM path unfold several images side by side, so each
     * SGEMM call gets about this many columns: LeNet conv2's 16 x 150 x 100 products per image left
     * the packed kernel at ~22 GFLOP/s (packing and call overhead per image).
     */
    static final int BATCH_COLUMNS = Integer.getInteger("jumbo.conv.batchColumns", 800);

    /**
     * Large images on the SGEMM path unfold and fold back about this many output pixels (whole
     * output rows) at a time, so the unfolded block stays in cache instead of a 7.2 MB matrix per
     * image (ResNet's 3x3 layer, 576 x 3136). Measured on that layer, one thread, interleaved: forward
     * 14.0-14.3 ms against 16.3-16.8 for whole images, grad input 16.0 against 17.0-17.2 (4 images);
     * 128 columns (two 56-pixel rows) was slower than whole images, because each product then packs
     * the weights again for too few columns.
     */
    static final int CHUNK_COLUMNS = Integer.getInteger("jumbo.conv.chunkColumns", 512);

    /** Output rows unfolded at a time on the per-image SGEMM path (all of them when small). */
    static int chunkRows(ConvGeometry g, boolean small) {
        if (small || g.pointwise()) {
            return g.oh;
        }
        return Math.max(1, Math.min(g.oh, Math.round((float) CHUNK_COLUMNS / g.ow)));
    }

    /** Images unfolded into one matrix on the SGEMM path (1: one image at a time). */
    static int imagesPerBatch(ConvGeometry g, boolean small) {
        return small ? 1 : Math.max(1, Math.min(g.n, BATCH_COLUMNS / Math.max(1, g.pixels)));
    }

    /** Unfolded images and their products, reused across calls. */
    private static final Scratch<float[]> SCRATCH = Scratch.floats();

    /** y = conv(x, weight) + bias; {@code bias} may be null. Overwrites y. */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] weight, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        int inImage = g.cin * g.h * g.w;
        int outImage = g.cout * g.pixels;
        boolean small = g.coutG <= SMALL_COUT && g.kdim <= SMALL_KDIM;
        int batch = imagesPerBatch(g, small);
        // One image of a layer that would be batched (a server's batch of one through LeNet conv2)
        // takes the batched path too: its small-channel product needs no packing, where the packed
        // SGEMM of a 16 x 100 x 150 product spent most of its time packing and on edge tiles.
        boolean single = g.n == 1 && !small && g.coutG <= SMALL_COUT && BATCH_COLUMNS / Math.max(1, g.pixels) > 1;
        if (batch > 1 || single) {
            forwardBatched(g, batch, x, xOff, weight, wOff, bias, bOff, y, yOff);
            return;
        }
        // One chunk per image, claimed dynamically: a descheduled thread does not hold up the step.
        int rows = chunkRows(g, small);
        Parallel.forChunks(g.n, img -> {
            float[] col = g.pointwise() ? null : SCRATCH.borrow(g.kdim * rows * g.ow);
            try {
                int yBase = yOff + img * outImage;
                for (int c = 0; c < g.cout; c++) {
                    Arrays.fill(y, yBase + c * g.pixels, yBase + (c + 1) * g.pixels, bias == null ? 0f : bias[bOff + c]);
                }
                for (int grp = 0; grp < g.groups; grp++) {
                    int xg = xOff + img * inImage + grp * g.cinG * g.h * g.w;
                    int wg = wOff + grp * g.coutG * g.kdim;
                    int yg = yBase + grp * g.coutG * g.pixels;
                    for (int oy0 = 0; oy0 < g.oh; oy0 += rows) {
                        int oy1 = Math.min(g.oh, oy0 + rows);
                        int cols = (oy1 - oy0) * g.ow;
                        // y[:, oy0 rows on] += W_g x unfold(rows oy0..oy1); pointwise: x is the unfolding
                        float[] b = x;
                        int bo = xg + oy0 * g.ow;
                        int ldb = g.pixels;
                        if (col != null) {
                            Im2col.im2col(g, g.cinG, x, xg, col, 0, cols, oy0, oy1);
                            b = col;
                            bo = 0;
                            ldb = cols;
                        }
                        if (small) { // one chunk: the whole image
                            ConvGemm.smallTimesPanel(g.coutG, g.pixels, g.kdim, weight, wg, g.kdim, 1, b, bo, y, yg, true);
                        } else {
                            Sgemm.sgemm(false, false, g.coutG, cols, g.kdim, 1f, weight, wg, g.kdim, b, bo, ldb,
                                    1f, y, yg + oy0 * g.ow, g.pixels);
                        }
                    }
                }
            } finally {
                SCRATCH.release(col);
            }
        });
    }

    /** {@link #forward} for small images: {@code batch} images per unfolded matrix and SGEMM call. */
    private static void forwardBatched(ConvGeometry g, int batch, float[] x, int xOff, float[] weight, int wOff,
                                       float[] bias, int bOff, float[] y, int yOff) {
        int inImage = g.cin * g.h * g.w;
        int outImage = g.cout * g.pixels;
        int p = g.pixels;
        Parallel.forChunks((g.n + batch - 1) / batch, bt -> {
            int img0 = bt * batch;
            int cols = Math.min(batch, g.n - img0) * p;
            float[] buf = SCRATCH.borrow((g.kdim + g.coutG) * cols); // [col | y of one group]
            try {
                int yb = g.kdim * cols;
                for (int grp = 0; grp < g.groups; grp++) {
                    int xg = xOff + img0 * inImage + grp * g.cinG * g.h * g.w;
                    for (int i = 0; i * p < cols; i++) {
                        Im2col.im2col(g, g.cinG, x, xg + i * inImage, buf, i * p, cols);
                    }
                    int wg = wOff + grp * g.coutG * g.kdim;
                    if (g.coutG <= SMALL_COUT) {
                        ConvGemm.smallTimesPanel(g.coutG, cols, g.kdim, weight, wg, g.kdim, 1, buf, 0, buf, yb, false);
                    } else {
                        Sgemm.sgemm(false, false, g.coutG, cols, g.kdim, 1f, weight, wg, g.kdim, buf, 0, cols, 0f,
                                buf, yb, cols);
                    }
                    for (int c = 0; c < g.coutG; c++) {
                        int oc = grp * g.coutG + c;
                        float bv = bias == null ? 0f : bias[bOff + oc];
                        for (int i = 0; i * p < cols; i++) {
                            int src = yb + c * cols + i * p;
                            int dst = yOff + (img0 + i) * outImage + oc * p;
                            for (int q = 0; q < p; q++) {
                                y[dst + q] = buf[src + q] + bv;
                            }
                        }
                    }
                }
            } finally {
                SCRATCH.release(buf);
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
        int chunks = Math.min(BACKWARD_CHUNKS, g.n);
        float[][] partial = dw == null ? null : new float[chunks][];
        boolean pointwise = g.pointwise();
        boolean small = g.coutG <= SMALL_COUT && g.kdim <= SMALL_KDIM;
        int batch = imagesPerBatch(g, small);
        int rows = chunkRows(g, small);
        DirectGradInput.Plan direct = dx != null && DirectGradInput.applies(g) ? DirectGradInput.plan(g, weight, wOff) : null;
        Parallel.forChunks(chunks, chunk -> {
            int from = (int) ((long) g.n * chunk / chunks);
            int to = (int) ((long) g.n * (chunk + 1) / chunks);
            float[] pw = null;
            if (dw != null) {
                pw = chunk == 0 ? dw : new float[wSize];
                if (chunk == 0) {
                    Arrays.fill(dw, 0, wSize, 0f);
                }
                partial[chunk] = pw;
            }
            if (batch > 1) {
                for (int img = from; img < to; img += batch) {
                    backwardBatch(g, img, Math.min(batch, to - img), x, xOff, weight, wOff, dy, dyOff, dx, pw, direct);
                }
                return;
            }
            // grad weight straight from a channels-last copy of the image, tap-major (see
            // ChannelsLastPanels), summed over this chunk's images, then put in the weight's order
            boolean channelsLast = pw != null && !small && g.coutG > DOTS_COUT && CHANNELS_LAST
                    && ChannelsLastPanels.applies(g);
            float[] tapMajor = channelsLast ? new float[wSize] : null;
            // one buffer: [col | dcol], each of up to `rows` output rows, then the channels-last
            // image, then the padded dY of the direct grad input
            int half = g.kdim * rows * g.ow;
            int xtOff = 2 * half;
            int padOff = xtOff + (channelsLast ? g.cinG * g.h * g.w : 0);
            float[] buf = pointwise ? null : SCRATCH.borrow(padOff + (direct == null ? 0 : direct.floats()));
            try {
                if (direct != null) {
                    Arrays.fill(buf, padOff, padOff + direct.floats(), 0f); // the borders stay zero
                }
                for (int img = from; img < to; img++) {
                    for (int grp = 0; grp < g.groups; grp++) {
                        int xg = xOff + img * inImage + grp * g.cinG * g.h * g.w;
                        int dyg = dyOff + img * outImage + grp * g.coutG * g.pixels;
                        int wg = wOff + grp * g.coutG * g.kdim;
                        int dxg = img * inImage + grp * g.cinG * g.h * g.w;
                        int pwOff = grp * g.coutG * g.kdim;
                        if (channelsLast) {
                            ChannelsLastPanels.toChannelsLast(g, x, xg, buf, xtOff);
                        }
                        if (direct != null) {
                            direct.fill(g, dy, dyg, buf, padOff);
                            DirectGradInput.gradInput(g, direct, grp, buf, padOff, dx, dxg);
                        }
                        for (int oy0 = 0; oy0 < g.oh; oy0 += rows) {
                            int oy1 = Math.min(g.oh, oy0 + rows);
                            int cols = (oy1 - oy0) * g.ow;
                            int p0 = oy0 * g.ow;
                            if (channelsLast) {
                                // dW_g' [coutG, kdim tap-major] += dY_g [coutG, cols] x unfold^T [cols, kdim]
                                SgemmBlocked.multiply(false, cols, 1f, dy, dyg + p0, g.pixels,
                                        (pp, jb, kc, nc, bp) -> ChannelsLastPanels.pack(g, buf, xtOff, p0 + pp, jb, kc, nc, bp),
                                        tapMajor, pwOff, g.kdim, 0, g.coutG, 0, g.kdim);
                            } else if (pw != null) {
                                weightGradChunk(g, small, x, xg, dy, dyg, buf, oy0, oy1, pw, pwOff);
                            }
                            if (dx == null || direct != null) {
                                continue;
                            }
                            // dX (pointwise) or dcol [kdim, cols] = W_g^T [kdim, coutG] x dY_g [coutG, cols]
                            float[] dst = pointwise ? dx : buf;
                            int dOff = pointwise ? dxg + p0 : half;
                            int ldd = pointwise ? g.pixels : cols;
                            if (small) { // one chunk: the whole image
                                ConvGemm.smallTimesPanel(g.kdim, g.pixels, g.coutG, weight, wg, 1, g.kdim, dy, dyg,
                                        dst, dOff, false);
                            } else {
                                Sgemm.sgemm(true, false, g.kdim, cols, g.coutG, 1f, weight, wg, g.kdim,
                                        dy, dyg + p0, g.pixels, 0f, dst, dOff, ldd);
                            }
                            if (!pointwise) {
                                Im2col.col2im(g, g.cinG, buf, half, cols, dx, dxg, oy0, oy1);
                            }
                        }
                    }
                }
                if (channelsLast) {
                    ChannelsLastPanels.addTapMajor(g, tapMajor, pw);
                }
            } finally {
                SCRATCH.release(buf);
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

    /**
     * pw += dY_g[:, rows oy0..oy1] x unfold(rows oy0..oy1)^T: one chunk of one image's weight
     * gradient; the chunk is unfolded into {@code buf} (pointwise layers read x directly).
     */
    private static void weightGradChunk(ConvGeometry g, boolean small, float[] x, int xg, float[] dy, int dyg,
                                        float[] buf, int oy0, int oy1, float[] pw, int pwOff) {
        int cols = (oy1 - oy0) * g.ow;
        int p0 = oy0 * g.ow;
        float[] b = x;
        int bo = xg + p0;
        int ldb = g.pixels;
        if (!g.pointwise()) {
            Im2col.im2col(g, g.cinG, x, xg, buf, 0, cols, oy0, oy1);
            b = buf;
            bo = 0;
            ldb = cols;
        }
        // dW_g [coutG, kdim] += dY_g [coutG, cols] x col^T [cols, kdim]
        if (small || g.coutG <= DOTS_COUT) {
            ConvGemm.panelDots(g.coutG, g.kdim, cols, dy, dyg + p0, g.pixels, b, bo, ldb, pw, pwOff);
        } else {
            Sgemm.sgemm(false, true, g.coutG, g.kdim, cols, 1f, dy, dyg + p0, g.pixels, b, bo, ldb,
                    1f, pw, pwOff, g.kdim);
        }
    }

    /**
     * The backward of {@code count} images from {@code img0} unfolded side by side (small images,
     * SGEMM path): pw += dY x col^T, and dx = col2im(W^T x dY) per image (dx already cleared).
     */
    private static void backwardBatch(ConvGeometry g, int img0, int count, float[] x, int xOff, float[] weight,
                                      int wOff, float[] dy, int dyOff, float[] dx, float[] pw,
                                      DirectGradInput.Plan direct) {
        int inImage = g.cin * g.h * g.w;
        int outImage = g.cout * g.pixels;
        int p = g.pixels;
        int cols = count * p;
        // [col | dcol | dY of one group | padded dY of one image for the direct grad input]
        int padOff = (2 * g.kdim + g.coutG) * cols;
        float[] buf = SCRATCH.borrow(padOff + (direct == null ? 0 : direct.floats()));
        try {
            if (direct != null) {
                Arrays.fill(buf, padOff, padOff + direct.floats(), 0f); // the borders stay zero
            }
            int dyb = 2 * g.kdim * cols;
            for (int grp = 0; grp < g.groups; grp++) {
                int xg = xOff + img0 * inImage + grp * g.cinG * g.h * g.w;
                int wg = wOff + grp * g.coutG * g.kdim;
                for (int c = 0; c < g.coutG && (pw != null || direct == null); c++) { // dY side by side
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(dy, dyOff + (img0 + i) * outImage + (grp * g.coutG + c) * p,
                                buf, dyb + c * cols + i * p, p);
                    }
                }
                if (pw != null) {
                    for (int i = 0; i < count; i++) {
                        Im2col.im2col(g, g.cinG, x, xg + i * inImage, buf, i * p, cols);
                    }
                    // dW_g [coutG, kdim] += dY_g [coutG, cols] x col^T [cols, kdim]
                    if (g.coutG <= DOTS_COUT) {
                        ConvGemm.panelDots(g.coutG, g.kdim, cols, buf, dyb, cols, buf, 0, cols, pw, grp * g.coutG * g.kdim);
                    } else {
                        Sgemm.sgemm(false, true, g.coutG, g.kdim, cols, 1f, buf, dyb, cols, buf, 0, cols,
                                1f, pw, grp * g.coutG * g.kdim, g.kdim);
                    }
                }
                if (direct != null) {
                    for (int i = 0; i < count; i++) {
                        int dxi = (img0 + i) * inImage + grp * g.cinG * g.h * g.w;
                        direct.fill(g, dy, dyOff + (img0 + i) * outImage + grp * g.coutG * p, buf, padOff);
                        DirectGradInput.gradInput(g, direct, grp, buf, padOff, dx, dxi);
                    }
                } else if (dx != null) {
                    // dcol [kdim, cols] = W_g^T [kdim, coutG] x dY_g [coutG, cols], folded image by image
                    int dcol = g.kdim * cols;
                    if (g.coutG <= SMALL_COUT) {
                        ConvGemm.smallTimesPanel(g.kdim, cols, g.coutG, weight, wg, 1, g.kdim, buf, dyb, buf, dcol, false);
                    } else {
                        Sgemm.sgemm(true, false, g.kdim, cols, g.coutG, 1f, weight, wg, g.kdim, buf, dyb, cols,
                                0f, buf, dcol, cols);
                    }
                    int dxg = img0 * inImage + grp * g.cinG * g.h * g.w;
                    for (int i = 0; i < count; i++) {
                        Im2col.col2im(g, g.cinG, buf, dcol + i * p, cols, dx, dxg + i * inImage);
                    }
                }
            }
        } finally {
            SCRATCH.release(buf);
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
