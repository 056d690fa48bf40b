package dev.jumbo.tensor;

import java.util.Arrays;

/**
 * Matrix products with autograd: {@link #matmul} (torch.matmul semantics) and {@link #linear}
 * ({@code x W^T + b}). Transposes in forward and backward are transpose flags on SGEMM over views,
 * never copies; broadcast batch dimensions are read with stride 0 and their gradients summed back.
 *
 * <pre>{@code
 * Tensor y = MatmulOps.matmul(x, w);          // [B,T,C] x [C,D] -> [B,T,D]
 * Tensor h = MatmulOps.linear(x, weight, bias); // [N,in] , [out,in] , [out] -> [N,out]
 * }</pre>
 */
public final class MatmulOps {
    private MatmulOps() {}

    /**
     * torch.matmul: 1-d·1-d is a dot product (a scalar); a 1-d left operand is a row vector and a
     * 1-d right operand a column vector, their added dimension removed from the result; with more
     * than two dimensions the leading (batch) dimensions broadcast.
     *
     * <pre>{@code
     * Tensor.of(a, 5, 2, 3).matmul(Tensor.of(b, 3, 4)); // [5,2,4]
     * }</pre>
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        requireFloat("matmul", a);
        requireFloat("matmul", b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape)
                    + ": both operands need at least 1 dimension");
        }
        Tensor a2 = a.dim() == 1 ? raw(a, new int[] {1, a.shape[0]}, new int[] {0, a.strides[0]}) : a;
        Tensor b2 = b.dim() == 1 ? raw(b, new int[] {b.shape[0], 1}, new int[] {b.strides[0], 0}) : b;
        int m = a2.shape[a2.dim() - 2];
        int k = a2.shape[a2.dim() - 1];
        int kb = b2.shape[b2.dim() - 2];
        int n = b2.shape[b2.dim() - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape)
                    + ": inner dimensions " + k + " and " + kb + " differ");
        }
        int[] batch = Shapes.broadcast("matmul", Arrays.copyOf(a2.shape, a2.dim() - 2),
                Arrays.copyOf(b2.shape, b2.dim() - 2));
        float[] data = BatchedGemm.multiply(a2, b2, batch, null, 0f);
        long macs = (long) Shapes.numel(batch) * m * n * k;
        if (Profiler.enabled()) {
            Profiler.record("matmul", macs, 2 * macs);
        }
        int[] full = concat(batch, m, n);
        int[] outShape = a.dim() == 1 && b.dim() == 1 ? new int[0]
                : a.dim() == 1 ? concat(batch, n)
                : b.dim() == 1 ? concat(batch, m)
                : full;
        Tensor out = Tensor.of(data, outShape);
        return Autograd.record("matmul", out, g -> {
            Tensor g2 = asShape(g, full);
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad) { // dA = G B^T, summed over batch dimensions A was broadcast along
                Tensor d = Tensor.of(BatchedGemm.multiply(g2, transposeLast(b2), batch, null, 0f), concat(batch, m, k));
                ga = d.sumTo(a2.shape).reshape(a.shape);
            }
            if (b.requiresGrad) { // dB = A^T G
                Tensor d = Tensor.of(BatchedGemm.multiply(transposeLast(a2), g2, batch, null, 0f), concat(batch, k, n));
                gb = d.sumTo(b2.shape).reshape(b.shape);
            }
            if (Profiler.enabled()) {
                long bm = (ga != null ? macs : 0) + (gb != null ? macs : 0);
                Profiler.record("matmul.backward", bm, 2 * bm);
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    /**
     * A fully connected layer: {@code x · weight^T + bias} over the last dimension of {@code x}
     * (any leading dimensions). {@code weight} is {@code [out, in]} as in torch.nn.Linear; {@code bias}
     * is {@code [out]} or null. The bias is written first and the product accumulated onto it.
     *
     * <pre>{@code
     * Tensor y = MatmulOps.linear(x, w, b); // [32,784] , [300,784] , [300] -> [32,300]
     * }</pre>
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        requireFloat("linear", x);
        requireFloat("linear", weight);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight " + Shapes.str(weight.shape)
                    + ": expected 2 dimensions [out_features, in_features]");
        }
        int outF = weight.shape[0];
        int inF = weight.shape[1];
        if (x.dim() == 0 || x.shape[x.dim() - 1] != inF) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape) + " x weight "
                    + Shapes.str(weight.shape) + ": input features " + (x.dim() == 0 ? "none" : x.shape[x.dim() - 1])
                    + " and in_features " + inF + " differ");
        }
        if (bias != null) {
            requireFloat("linear", bias);
            if (bias.dim() != 1 || bias.shape[0] != outF) {
                throw new IllegalArgumentException("linear: bias " + Shapes.str(bias.shape) + " for weight "
                        + Shapes.str(weight.shape) + ": expected [" + outF + "]");
            }
        }
        int rows = 1;
        for (int d = 0; d < x.dim() - 1; d++) {
            rows *= x.shape[d];
        }
        Tensor x2 = asMatrix(x, rows, inF);
        Tensor wt = transposeLast(weight);
        float[] data = new float[rows * outF];
        if (bias != null) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < outF; j++) {
                    data[r * outF + j] = bias.storage.getFloat(bias.offset + j * bias.strides[0]);
                }
            }
        }
        BatchedGemm.multiply(x2, wt, new int[0], data, bias != null ? 1f : 0f);
        long macs = (long) rows * outF * inF;
        if (Profiler.enabled()) {
            Profiler.record("linear", macs, 2 * macs + (bias != null ? (long) rows * outF : 0));
        }
        int[] outShape = x.shape.clone();
        outShape[outShape.length - 1] = outF;
        Tensor out = Tensor.of(data, outShape);
        final int nRows = rows;
        return Autograd.record("linear", out, g -> {
            Tensor g2 = asShape(g, new int[] {nRows, outF});
            Tensor gx = null;
            Tensor gw = null;
            Tensor gbias = null;
            long bm = 0;
            if (x.requiresGrad) { // dX = G W
                gx = Tensor.of(BatchedGemm.multiply(g2, weight, new int[0], null, 0f), nRows, inF).reshape(x.shape);
                bm += macs;
            }
            if (weight.requiresGrad) { // dW = G^T X
                gw = Tensor.of(BatchedGemm.multiply(transposeLast(g2), x2, new int[0], null, 0f), outF, inF);
                bm += macs;
            }
            if (bias != null && bias.requiresGrad) {
                gbias = Tensor.of(columnSums(g2, nRows, outF), outF);
            }
            if (Profiler.enabled()) {
                Profiler.record("linear.backward", bm, 2 * bm + (gbias != null ? (long) nRows * outF : 0));
            }
            return new Tensor[] {gx, gw, gbias};
        }, x, weight, bias);
    }

    /** Sum over rows of a [rows, cols] gradient, in row order (deterministic). */
    private static float[] columnSums(Tensor g, int rows, int cols) {
        float[] s = new float[cols];
        float[] d = g.data();
        for (int r = 0; r < rows; r++) {
            int base = g.offset + r * g.strides[0];
            for (int j = 0; j < cols; j++) {
                s[j] += d[base + j * g.strides[1]];
            }
        }
        return s;
    }

    private static void requireFloat(String op, Tensor t) {
        if (!t.isFloat()) {
            throw new IllegalArgumentException(op + ": tensor " + Shapes.str(t.shape) + " holds " + t.dtype()
                    + ", expected FLOAT32");
        }
    }

    /** A view without a tape node (forward internals only). */
    private static Tensor raw(Tensor t, int[] shape, int[] strides) {
        return new Tensor(t.storage, shape, strides, t.offset);
    }

    /** The view with its last two dimensions swapped, no tape node. */
    private static Tensor transposeLast(Tensor t) {
        int r = t.dim();
        int[] shape = t.shape.clone();
        int[] strides = t.strides.clone();
        shape[r - 2] = t.shape[r - 1];
        shape[r - 1] = t.shape[r - 2];
        strides[r - 2] = t.strides[r - 1];
        strides[r - 1] = t.strides[r - 2];
        return raw(t, shape, strides);
    }

    /** {@code x} as a [rows, cols] matrix: a view when possible, else a contiguous copy off the tape. */
    private static Tensor asMatrix(Tensor x, int rows, int cols) {
        if (x.dim() == 2) {
            return x;
        }
        Tensor c = x;
        if (!x.isContiguous() || !(x.storage instanceof FloatStorage)) {
            try (var ignored = Autograd.noGrad()) {
                c = x.copy();
            }
        }
        return raw(c, new int[] {rows, cols}, new int[] {cols, 1});
    }

    /** A gradient reshaped to {@code shape} without a tape node (same element count, row-major). */
    private static Tensor asShape(Tensor g, int[] shape) {
        Tensor c = g.isContiguous() && g.storage instanceof FloatStorage ? g : g.copy();
        return raw(c, shape, Shapes.contiguousStrides(shape));
    }

    private static int[] concat(int[] head, int... tail) {
        int[] r = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, r, head.length, tail.length);
        return r;
    }
}
