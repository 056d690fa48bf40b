package dev.jumbo.kernels;

/**
 * Layer norm and RMS norm over the last {@code d} elements of each of {@code rows} rows: fused
 * forwards that also save the per-row statistics, and the matching backwards. Statistics are
 * accumulated in float64. Rows are spread over the pool; weight and bias gradients are summed per
 * chunk and the chunk sums added in chunk order (deterministic for a given thread count).
 *
 * <pre>{@code
 * Norm.layerNormForward(rows, d, x, 0, gamma, beta, 1e-5f, y, mean, rstd);
 * Norm.layerNormBackward(rows, d, x, 0, gamma, mean, rstd, dy, 0, dx, dgamma, dbeta);
 * }</pre>
 */
public final class Norm {
    private Norm() {}

    private static final int GRAIN = 16;

    /**
     * y = (x - mean) * rstd * weight + bias per row; {@code weight}/{@code bias} may be null; saves
     * mean and rstd = 1/sqrt(biased var + eps) per row. With {@code mean == null} it is RMS norm:
     * y = x * rstd * weight, rstd = 1/sqrt(mean(x^2) + eps).
     */
    public static void forward(int rows, int d, float[] x, int xOff, float[] weight, float[] bias, float eps,
                               float[] y, float[] mean, float[] rstd) {
        Parallel.forRange(0, rows, GRAIN, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = xOff + r * d;
                float m = 0f;
                if (mean != null) {
                    double s = 0;
                    for (int i = 0; i < d; i++) {
                        s += x[b + i];
                    }
                    m = (float) (s / d);
                    mean[r] = m;
                }
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    double v = x[b + i] - m;
                    sq += v * v;
                }
                float rs = (float) (1.0 / Math.sqrt(sq / d + eps));
                rstd[r] = rs;
                int o = r * d;
                for (int i = 0; i < d; i++) {
                    float v = (x[b + i] - m) * rs;
                    if (weight != null) {
                        v *= weight[i];
                    }
                    if (bias != null) {
                        v += bias[i];
                    }
                    y[o + i] = v;
                }
            }
        });
    }

    /**
     * Backward of {@link #forward} with xhat = (x - mean) * rstd and g = dy * weight:
     * layer norm dx = rstd * (g - mean(g) - xhat * mean(g * xhat)); RMS norm (mean == null)
     * dx = rstd * (g - xhat * mean(g * xhat)); dweight = sum over rows of dy * xhat; dbias = sum of dy.
     * Any of dx, dweight, dbias may be null; they are overwritten.
     */
    public static void backward(int rows, int d, float[] x, int xOff, float[] weight, float[] mean, float[] rstd,
                                float[] dy, int dyOff, float[] dx, float[] dweight, float[] dbias) {
        int chunks = Math.max(1, Math.min(Parallel.threads(), rows / GRAIN));
        float[][] pw = new float[chunks][];
        float[][] pb = new float[chunks][];
        Parallel.forChunks(chunks, chunk -> {
            int from = (int) ((long) rows * chunk / chunks);
            int to = (int) ((long) rows * (chunk + 1) / chunks);
            float[] gw = dweight == null ? null : new float[d];
            float[] gb = dbias == null ? null : new float[d];
            pw[chunk] = gw;
            pb[chunk] = gb;
            for (int r = from; r < to; r++) {
                int b = xOff + r * d;
                int gbase = dyOff + r * d;
                float m = mean == null ? 0f : mean[r];
                float rs = rstd[r];
                double sg = 0;
                double sgx = 0;
                for (int i = 0; i < d; i++) {
                    float xh = (x[b + i] - m) * rs;
                    float gi = dy[gbase + i];
                    if (gw != null) {
                        gw[i] += gi * xh;
                    }
                    if (gb != null) {
                        gb[i] += gi;
                    }
                    float g = weight == null ? gi : gi * weight[i];
                    sg += g;
                    sgx += (double) g * xh;
                }
                if (dx == null) {
                    continue;
                }
                float mg = mean == null ? 0f : (float) (sg / d);
                float mgx = (float) (sgx / d);
                int o = r * d;
                for (int i = 0; i < d; i++) {
                    float xh = (x[b + i] - m) * rs;
                    float g = weight == null ? dy[gbase + i] : dy[gbase + i] * weight[i];
                    dx[o + i] = rs * (g - mg - xh * mgx);
                }
            }
        });
        combine(pw, dweight, d);
        combine(pb, dbias, d);
    }

    /** dst = sum of the chunk partials, added in chunk order. */
    static void combine(float[][] parts, float[] dst, int d) {
        if (dst == null) {
            return;
        }
        System.arraycopy(parts[0], 0, dst, 0, d);
        for (int c = 1; c < parts.length; c++) {
            for (int i = 0; i < d; i++) {
                dst[i] += parts[c][i];
            }
        }
    }
}
