package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM's packed B panels for conv2d's weight gradient, read straight from the image.
 *
 * <p>The weight gradient is {@code dW = dY x unfold(x)^T}: SGEMM's B operand is the unfolded image
 * transposed (depth = output pixels, columns = the {@code kdim} rows of the unfolding). Packed from
 * the unfolded matrix, every panel row gathers NR values from NR different rows, and together with
 * the unfolding itself that was about a sixth of a step of ResNet's 3x3 layer. Here the image is
 * first put in channels-last order ({@code [h][w][c]}, {@link #toChannelsLast}, 9x fewer values
 * than the unfolding of a 3x3 kernel) and the unfolding's rows are taken tap-major
 * ({@code j' = (ky*kw + kx) * cinG + c}) instead of channel-major ({@code j = c*kh*kw + ky*kw + kx}):
 * then each panel row is NR consecutive channels of one input pixel, two whole vectors copied from
 * the image (or zeros in the padding), and no unfolded matrix is written at all. The product comes
 * out with its columns tap-major; {@link #addTapMajor} puts them back in the weight's order.
 *
 * <pre>{@code
 * if (ChannelsLastPanels.applies(g)) {
 *     ChannelsLastPanels.toChannelsLast(g, x, xg, xt, 0);
 *     SgemmBlocked.multiply(false, cols, 1f, dy, dyg + p0, g.pixels,
 *             (p, j, kc, nc, bp) -> ChannelsLastPanels.pack(g, xt, 0, oy0 * g.ow + p, j, kc, nc, bp),
 *             dwTapMajor, 0, g.kdim, 0, g.coutG, 0, g.kdim);
 * }
 * }</pre>
 */
final class ChannelsLastPanels {
    private static final VectorSpecies<Float> S = SgemmKernel.S;
    private static final int L = S.length();

    private ChannelsLastPanels() {}

    /** Whether a layer's panels can be read this way: whole panels of channels per tap. */
    static boolean applies(ConvGeometry g) {
        return g.cinG % SgemmKernel.NR == 0 && !g.pointwise();
    }

    /** {@code xt[xtOff + (iy*w + ix)*cinG + c] = x[xOff + c*h*w + iy*w + ix]}: one group of one image. */
    static void toChannelsLast(ConvGeometry g, float[] x, int xOff, float[] xt, int xtOff) {
        int plane = g.h * g.w;
        int channels = g.cinG;
        // 4 pixels per pass: each channel's 4 values are contiguous reads, each pixel's run of
        // channels a contiguous write stream
        int p = 0;
        for (; p + 4 <= plane; p += 4) {
            int dst = xtOff + p * channels;
            for (int c = 0; c < channels; c++) {
                int src = xOff + c * plane + p;
                xt[dst + c] = x[src];
                xt[dst + channels + c] = x[src + 1];
                xt[dst + 2 * channels + c] = x[src + 2];
                xt[dst + 3 * channels + c] = x[src + 3];
            }
        }
        for (; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                xt[xtOff + p * channels + c] = x[xOff + c * plane + p];
            }
        }
    }

    /**
     * Packs op(B)(p, j') = unfold(x)[j'][pixel p] for output pixels {@code [pixel0, pixel0 + kc)}
     * (row-major over the output image) and tap-major columns {@code [j0, j0 + nc)} ({@code j0} and
     * {@code nc} multiples of NR) into {@code bp}, in {@link SgemmPack#packB}'s panel layout.
     */
    static void pack(ConvGeometry g, float[] xt, int xtOff, int pixel0, int j0, int kc, int nc, float[] bp) {
        final int nr = SgemmKernel.NR;
        int channels = g.cinG;
        for (int q = 0; q < nc; q += nr) {
            int j = j0 + q;
            int tap = j / channels;
            int c0 = j - tap * channels;
            int ky = tap / g.kw;
            int kx = tap - ky * g.kw;
            int oy = pixel0 / g.ow;
            int ox = pixel0 - oy * g.ow;
            int dst = q * kc;
            for (int p = 0; p < kc; p++, dst += nr) {
                int iy = oy * g.sh - g.ph + ky * g.dh;
                int ix = ox * g.sw - g.pw + kx * g.dw;
                if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) {
                    int src = xtOff + (iy * g.w + ix) * channels + c0;
                    FloatVector.fromArray(S, xt, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, xt, src + L).intoArray(bp, dst + L);
                } else {
                    FloatVector zero = FloatVector.zero(S);
                    zero.intoArray(bp, dst);
                    zero.intoArray(bp, dst + L);
                }
                if (++ox == g.ow) {
                    ox = 0;
                    oy++;
                }
            }
        }
    }

    /**
     * {@code pw[grp*coutG*kdim + co*kdim + c*taps + tap] += tapMajor[grp*coutG*kdim + co*kdim + tap*cinG + c]}
     * for every group: a tap-major gradient added in the weight's order.
     */
    static void addTapMajor(ConvGeometry g, float[] tapMajor, float[] pw) {
        int taps = g.kh * g.kw;
        for (int row = 0; row < g.groups * g.coutG * g.kdim; row += g.kdim) {
            for (int tap = 0; tap < taps; tap++) {
                int src = row + tap * g.cinG;
                int dst = row + tap;
                for (int c = 0; c < g.cinG; c++) {
                    pw[dst + c * taps] += tapMajor[src + c];
                }
            }
        }
    }
}
