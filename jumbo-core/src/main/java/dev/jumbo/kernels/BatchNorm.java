package dev.jumbo.kernels;

/**
 * Batch norm over x [n, c, s] (s = h*w, or 1 for [n, c]) per channel. Training normalizes with the
 * batch mean and biased variance and updates the running statistics with momentum using the
 * unbiased variance (PyTorch's rule); evaluation normalizes with the running statistics. Channels
 * are independent and spread over the pool; each channel's sums run in one fixed order (float64).
 *
 * <pre>{@code
 * BatchNorm.forward(n, c, s, x, 0, gamma, beta, runMean, runVar, true, 0.1f, 1e-5f, y, mean, rstd);
 * }</pre>
 */
public final class BatchNorm {
    private BatchNorm() {}

    /**
     * y = (x - mean_c) * rstd_c * weight_c + bias_c (weight, bias may be null). Saves the mean and
     * rstd used into {@code mean}/{@code rstd} [c]. In training the running stats (if non-null) are
     * updated in place: r = (1 - momentum) * r + momentum * batch statistic.
     */
    public static void forward(int n, int c, int s, float[] x, int xOff, float[] weight, float[] bias,
                               float[] runMean, float[] runVar, boolean training, float momentum, float eps,
                               float[] y, float[] mean, float[] rstd) {
        long count = (long) n * s;
        Parallel.forRange(0, c, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float m;
                float var;
                if (training) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        int b = xOff + (i * c + ch) * s;
                        for (int j = 0; j < s; j++) {
                            sum += x[b + j];
                        }
                    }
                    double dm = sum / count;
                    double sq = 0;
                    for (int i = 0; i < n; i++) {
                        int b = xOff + (i * c + ch) * s;
                        for (int j = 0; j < s; j++) {
                            double v = x[b + j] - dm;
                            sq += v * v;
                        }
                    }
                    m = (float) dm;
                    var = (float) (sq / count);
                    if (runMean != null) {
                        runMean[ch] = (1 - momentum) * runMean[ch] + momentum * m;
                    }
                    if (runVar != null) {
                        double unbiased = count > 1 ? sq / (count - 1) : sq;
                        runVar[ch] = (float) ((1 - momentum) * runVar[ch] + momentum * unbiased);
                    }
                } else {
                    m = runMean[ch];
                    var = runVar[ch];
                }
                float rs = (float) (1.0 / Math.sqrt(var + (double) eps));
                mean[ch] = m;
                rstd[ch] = rs;
                float scale = weight == null ? rs : rs * weight[ch];
                float shift = (bias == null ? 0f : bias[ch]) - m * scale;
                for (int i = 0; i < n; i++) {
                    int b = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) {
                        y[b + j] = x[xOff + b + j] * scale + shift;
                    }
                }
            }
        });
    }

    /**
     * Backward with xhat = (x - mean) * rstd and g = dy * weight: in training (batch statistics)
     * dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) over the channel's n*s elements; in
     * evaluation dx = rstd * g. dweight = sum dy * xhat, dbias = sum dy. Outputs may be null.
     */
    public static void backward(int n, int c, int s, float[] x, int xOff, float[] weight, float[] mean,
                                float[] rstd, boolean training, float[] dy, int dyOff,
                                float[] dx, float[] dweight, float[] dbias) {
        long count = (long) n * s;
        Parallel.forRange(0, c, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float m = mean[ch];
                float rs = rstd[ch];
                double sdy = 0;
                double sdyx = 0;
                for (int i = 0; i < n; i++) {
                    int b = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) {
                        float gi = dy[dyOff + b + j];
                        sdy += gi;
                        sdyx += (double) gi * ((x[xOff + b + j] - m) * rs);
                    }
                }
                if (dweight != null) {
                    dweight[ch] = (float) sdyx;
                }
                if (dbias != null) {
                    dbias[ch] = (float) sdy;
                }
                if (dx == null) {
                    continue;
                }
                float w = weight == null ? 1f : weight[ch];
                float mg = training ? (float) (sdy * w / count) : 0f;
                float mgx = training ? (float) (sdyx * w / count) : 0f;
                for (int i = 0; i < n; i++) {
                    int b = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) {
                        float xh = (x[xOff + b + j] - m) * rs;
                        dx[b + j] = rs * (dy[dyOff + b + j] * w - mg - xh * mgx);
                    }
                }
            }
        });
    }
}
