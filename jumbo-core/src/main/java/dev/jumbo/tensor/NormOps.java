package dev.jumbo.tensor;

import dev.jumbo.kernels.BatchNorm;
import dev.jumbo.kernels.Norm;

/**
 * Normalization layers with PyTorch semantics: layer norm and RMS norm over the trailing
 * dimensions, batch norm per channel of [N,C] or [N,C,H,W] (and [N,C,L]).
 *
 * <p>Profiler convention (no MACs), counted per input element e: layer norm forward 5 FLOPs (sum,
 * subtract, square-accumulate, subtract, scale) plus 1 each for weight and bias; RMS norm forward 3
 * (square-accumulate, scale) plus 1 for weight; batch norm forward 2 (scale, shift) plus 3 in
 * training for the statistics. Every backward records 8 FLOPs per element under "op.backward".
 *
 * <pre>{@code
 * Tensor y = NormOps.layerNorm(x, new int[] {768}, gamma, beta, 1e-5f);          // x [B,T,768]
 * Tensor z = NormOps.batchNorm(f, runMean, runVar, gamma, beta, true, 0.1f, 1e-5f); // f [N,C,H,W]
 * }</pre>
 */
public final class NormOps {
    private NormOps() {}

    /** Layer norm over the last {@code normalizedShape.length} dims; weight and bias have that shape or are null. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        int d = trailing("layerNorm", x, normalizedShape);
        checkParam("layerNorm", "weight", weight, normalizedShape);
        checkParam("layerNorm", "bias", bias, normalizedShape);
        return rowNorm("layerNorm", x, d, weight, bias, eps, true, 5 + (weight == null ? 0 : 1) + (bias == null ? 0 : 1));
    }

    /** RMS norm over the last dimension: x / sqrt(mean(x^2) + eps) * weight (weight [D] or null). */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        if (x.dim() < 1) {
            throw new IllegalArgumentException("rmsNorm: input is a scalar, expected at least one dimension");
        }
        int[] last = {x.shape[x.dim() - 1]};
        checkParam("rmsNorm", "weight", weight, last);
        return rowNorm("rmsNorm", x, last[0], weight, null, eps, false, 3 + (weight == null ? 0 : 1));
    }

    private static Tensor rowNorm(String op, Tensor x, int d, Tensor weight, Tensor bias, float eps, boolean center,
                                  int flopsPerElement) {
        Tensor xc = x.contiguous();
        int n = x.numel();
        int rows = d == 0 ? 0 : n / d;
        float[] wd = weight == null ? null : weight.contiguous().toFloatArray();
        float[] bd = bias == null ? null : bias.contiguous().toFloatArray();
        float[] out = new float[n];
        float[] mean = center ? new float[rows] : null;
        float[] rstd = new float[rows];
        Norm.forward(rows, d, xc.data(), xc.offset, wd, bd, eps, out, mean, rstd);
        Tensor y = Tensor.of(out, x.shape);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, (long) flopsPerElement * n);
        }
        return Autograd.record(op, y, gy -> {
            Tensor gc = gy.contiguous();
            float[] dx = x.requiresGrad ? new float[n] : null;
            float[] dw = weight != null && weight.requiresGrad ? new float[d] : null;
            float[] db = bias != null && bias.requiresGrad ? new float[d] : null;
            Norm.backward(rows, d, xc.data(), xc.offset, wd, mean, rstd, gc.data(), gc.offset, dx, dw, db);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, 8L * n);
            }
            return new Tensor[] {
                dx == null ? null : Tensor.of(dx, x.shape),
                dw == null ? null : Tensor.of(dw, weight.shape),
                db == null ? null : Tensor.of(db, bias.shape)};
        }, x, weight, bias);
    }

    /**
     * Batch norm of x [N,C], [N,C,L] or [N,C,H,W] per channel. In training it normalizes with the batch
     * statistics (biased variance) and, when given, updates {@code runningMean}/{@code runningVar}
     * in place with momentum (variance unbiased); in evaluation it uses the running statistics.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        String op = "batchNorm";
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + ", expected [N,C] or [N,C,H,W]");
        }
        int n = x.shape[0], c = x.shape[1];
        int s = c == 0 || n == 0 ? 0 : x.numel() / (n * c);
        int[] cs = {c};
        checkParam(op, "weight", weight, cs);
        checkParam(op, "bias", bias, cs);
        checkParam(op, "runningMean", runningMean, cs);
        checkParam(op, "runningVar", runningVar, cs);
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException(op + ": evaluation mode without running statistics: "
                    + "expected runningMean and runningVar of shape [" + c + "]");
        }
        if (training && (long) n * s < 2) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape)
                    + " has 1 value per channel, expected more than 1 in training");
        }
        float[] rm = runningMean == null ? null : stats(op, "runningMean", runningMean);
        float[] rv = runningVar == null ? null : stats(op, "runningVar", runningVar);
        Tensor xc = x.contiguous();
        float[] wd = weight == null ? null : weight.contiguous().toFloatArray();
        float[] bd = bias == null ? null : bias.contiguous().toFloatArray();
        float[] out = new float[x.numel()];
        float[] mean = new float[c];
        float[] rstd = new float[c];
        BatchNorm.forward(n, c, s, xc.data(), xc.offset, wd, bd, rm, rv, training, momentum, eps, out, mean, rstd);
        Tensor y = Tensor.of(out, x.shape);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, (training ? 5L : 2L) * out.length);
        }
        return Autograd.record(op, y, gy -> {
            Tensor gc = gy.contiguous();
            float[] dx = x.requiresGrad ? new float[out.length] : null;
            float[] dw = weight != null && weight.requiresGrad ? new float[c] : null;
            float[] db = bias != null && bias.requiresGrad ? new float[c] : null;
            BatchNorm.backward(n, c, s, xc.data(), xc.offset, wd, mean, rstd, training, gc.data(), gc.offset, dx, dw, db);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, 8L * out.length);
            }
            return new Tensor[] {
                dx == null ? null : Tensor.of(dx, x.shape),
                dw == null ? null : Tensor.of(dw, weight.shape),
                db == null ? null : Tensor.of(db, bias.shape)};
        }, x, weight, bias);
    }

    /** The backing array of a running-statistics tensor, which is updated in place. */
    private static float[] stats(String op, String name, Tensor t) {
        if (!t.isContiguous() || t.offset != 0 || !(t.storage instanceof FloatStorage fs) || fs.data.length != t.numel()) {
            throw new IllegalArgumentException(op + ": " + name + " must be a dense float32 tensor (it is updated in place)");
        }
        return fs.data;
    }

    private static int trailing(String op, Tensor x, int[] normalizedShape) {
        int k = normalizedShape.length;
        boolean ok = k >= 1 && k <= x.dim();
        for (int i = 0; ok && i < k; i++) {
            ok = x.shape[x.dim() - k + i] == normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " does not end with normalized shape "
                    + Shapes.str(normalizedShape));
        }
        return Shapes.numel(normalizedShape);
    }

    private static void checkParam(String op, String name, Tensor t, int[] expected) {
        if (t != null && !Shapes.same(t.shape, expected)) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape) + ", expected "
                    + Shapes.str(expected));
        }
    }
}
