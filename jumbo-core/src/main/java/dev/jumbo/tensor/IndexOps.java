package dev.jumbo.tensor;

import java.util.Arrays;

/**
 * Indexing and joining: embedding lookup, concat/stack, split/chunk, gather/scatterAdd,
 * indexSelect and oneHot. Each op's shape rule, forward and backward stand together. The
 * forwards copy blocks of contiguous memory; the backwards scatter-add gradients straight into
 * plain arrays.
 *
 * <pre>{@code
 * Tensor wte = Tensor.zeros(50257, 768).requiresGrad(true);
 * Tensor tokens = Tensor.ofInts(new int[] {15496, 995}, 1, 2);
 * Tensor h = IndexOps.embedding(wte, tokens);          // (B,T,C) = [1,2,768]
 * Tensor both = IndexOps.concat(-1, h, h);             // [1,2,1536]
 * Tensor[] halves = IndexOps.chunk(both, -1, 2);       // two [1,2,768] views
 * }</pre>
 */
public final class IndexOps {
    private IndexOps() {}

    // ------------------------------------------------------------------ embedding

    /**
     * Looks up rows of {@code weight [V,D]} for int32 {@code indices} of any shape; the result has
     * shape {@code indices.shape + [D]}. The gradient scatter-adds into the looked-up rows, so a
     * repeated index accumulates.
     */
    public static Tensor embedding(Tensor weight, Tensor indices) {
        requireFloat("embedding", "weight", weight);
        requireInt("embedding", "indices", indices);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight of shape " + Shapes.str(weight.shape)
                    + ", expected rank 2 [rows, dim]");
        }
        int rows = weight.shape[0];
        int d = weight.shape[1];
        Tensor ic = indices.contiguous();
        int[] idx = ic.intData();
        int n = ic.numel();
        for (int i = 0; i < n; i++) {
            int v = idx[ic.offset + i];
            if (v < 0 || v >= rows) {
                throw new IndexOutOfBoundsException("embedding: index " + v + " out of range for " + rows + " rows");
            }
        }
        Tensor wc = weight.contiguous();
        float[] out = new float[n * d];
        selectBlocks(wc.data(), wc.offset, 1, rows, d, idx, ic.offset, n, out);
        int[] outShape = Arrays.copyOf(indices.shape, indices.shape.length + 1);
        outShape[outShape.length - 1] = d;
        Tensor y = Tensor.of(out, outShape);
        if (Profiler.enabled()) {
            Profiler.record("embedding", 0, 0);
        }
        int[] wShape = weight.shape;
        return Autograd.record("embedding", y, g -> {
            Tensor gc = g.contiguous();
            float[] gw = new float[rows * d];
            scatterAddBlocks(gc.data(), gc.offset, 1, rows, d, idx, ic.offset, n, gw);
            if (Profiler.enabled()) {
                Profiler.record("embedding.backward", 0, (long) n * d);
            }
            return new Tensor[] {Tensor.of(gw, wShape)};
        }, weight);
    }

    // ------------------------------------------------------------------ indexSelect

    /**
     * Picks entries {@code index[i]} along {@code axis} (1-d int32 index, repeats allowed); the
     * result has {@code x.shape} with {@code shape[axis] = index.numel()}. Works on float and int32
     * tensors; only floats carry a gradient.
     */
    public static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        requireInt("indexSelect", "index", index);
        if (index.dim() != 1) {
            throw new IllegalArgumentException("indexSelect: index of shape " + Shapes.str(index.shape)
                    + ", expected rank 1");
        }
        int a = Shapes.axis("indexSelect", axis, x.dim());
        int outer = prod(x.shape, 0, a);
        int size = x.shape[a];
        int inner = prod(x.shape, a + 1, x.dim());
        Tensor ic = index.contiguous();
        int[] idx = ic.intData();
        int n = ic.numel();
        checkRange("indexSelect", idx, ic.offset, n, size, " for axis " + a + " of size " + size);
        int[] outShape = x.shape.clone();
        outShape[a] = n;
        Tensor xc = x.contiguous();
        if (!x.isFloat()) {
            int[] out = new int[outer * n * inner];
            selectBlocks(xc.intData(), xc.offset, outer, size, inner, idx, ic.offset, n, out);
            return Tensor.ofInts(out, outShape);
        }
        float[] out = new float[outer * n * inner];
        selectBlocks(xc.data(), xc.offset, outer, size, inner, idx, ic.offset, n, out);
        Tensor y = Tensor.of(out, outShape);
        if (Profiler.enabled()) {
            Profiler.record("indexSelect", 0, 0);
        }
        int[] xShape = x.shape;
        return Autograd.record("indexSelect", y, g -> {
            Tensor gc = g.contiguous();
            float[] gx = new float[Shapes.numel(xShape)];
            scatterAddBlocks(gc.data(), gc.offset, outer, size, inner, idx, ic.offset, n, gx);
            if (Profiler.enabled()) {
                Profiler.record("indexSelect.backward", 0, (long) outer * n * inner);
            }
            return new Tensor[] {Tensor.of(gx, xShape)};
        }, x);
    }

    /** {@code dst[o, i, :] = src[o, idx[i], :]} for blocks of {@code inner} elements (float[] or int[]). */
    private static void selectBlocks(Object src, int srcOff, int outer, int size, int inner,
                                     int[] idx, int idxOff, int n, Object dst) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, srcOff + (o * size + idx[idxOff + i]) * inner, dst, (o * n + i) * inner, inner);
            }
        }
    }

    /** The adjoint of {@link #selectBlocks}: {@code dst[o, idx[i], :] += src[o, i, :]}. */
    private static void scatterAddBlocks(float[] src, int srcOff, int outer, int size, int inner,
                                         int[] idx, int idxOff, int n, float[] dst) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                int s = srcOff + (o * n + i) * inner;
                int t = (o * size + idx[idxOff + i]) * inner;
                for (int j = 0; j < inner; j++) {
                    dst[t + j] += src[s + j];
                }
            }
        }
    }

    // ------------------------------------------------------------------ oneHot

    /** Float 0/1 encoding of int32 {@code indices}: shape {@code indices.shape + [numClasses]}. */
    public static Tensor oneHot(Tensor indices, int numClasses) {
        requireInt("oneHot", "indices", indices);
        if (numClasses <= 0) {
            throw new IllegalArgumentException("oneHot: numClasses " + numClasses + ", expected a positive count");
        }
        Tensor ic = indices.contiguous();
        int[] idx = ic.intData();
        int n = ic.numel();
        checkRange("oneHot", idx, ic.offset, n, numClasses, " for " + numClasses + " classes");
        float[] out = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            out[i * numClasses + idx[ic.offset + i]] = 1f;
        }
        int[] outShape = Arrays.copyOf(indices.shape, indices.shape.length + 1);
        outShape[outShape.length - 1] = numClasses;
        if (Profiler.enabled()) {
            Profiler.record("oneHot", 0, 0);
        }
        return Tensor.of(out, outShape);
    }

    // ------------------------------------------------------------------ concat, stack

    /**
     * Joins tensors along {@code axis}; all must have the same rank, dtype and sizes on every other
     * axis. Same as PyTorch's {@code cat}.
     */
    public static Tensor concat(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("concat: no tensors, expected at least one");
        }
        Tensor first = tensors[0];
        int rank = first.dim();
        if (rank == 0) {
            throw new IllegalArgumentException("concat: tensor 0 is a scalar, expected rank >= 1 (use stack)");
        }
        int a = Shapes.axis("concat", axis, rank);
        int total = 0;
        for (int t = 0; t < tensors.length; t++) {
            Tensor x = tensors[t];
            if (x.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: tensor " + t + " holds " + x.dtype()
                        + " but tensor 0 holds " + first.dtype() + ", expected one dtype");
            }
            if (x.dim() != rank) {
                throw new IllegalArgumentException("concat: tensor " + t + " has shape " + Shapes.str(x.shape)
                        + " but tensor 0 has " + Shapes.str(first.shape) + ": ranks differ (concatenating along axis "
                        + a + ")");
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && x.shape[d] != first.shape[d]) {
                    throw new IllegalArgumentException("concat: tensor " + t + " has shape " + Shapes.str(x.shape)
                            + " but tensor 0 has " + Shapes.str(first.shape) + ": dimension " + d + " is "
                            + x.shape[d] + " vs " + first.shape[d] + ", expected equal sizes except on axis " + a);
                }
            }
            total += x.shape[a];
        }
        int outer = prod(first.shape, 0, a);
        int inner = prod(first.shape, a + 1, rank);
        int[] outShape = first.shape.clone();
        outShape[a] = total;
        int n = Shapes.numel(outShape);
        boolean isFloat = first.isFloat();
        Object out = isFloat ? new float[n] : new int[n];
        int[] sizes = new int[tensors.length];
        int pos = 0;
        for (int t = 0; t < tensors.length; t++) {
            Tensor xc = tensors[t].contiguous();
            sizes[t] = xc.shape[a];
            int block = sizes[t] * inner;
            Object src = isFloat ? xc.data() : xc.intData();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, xc.offset + o * block, out, o * total * inner + pos * inner, block);
            }
            pos += sizes[t];
        }
        if (!isFloat) {
            return Tensor.ofInts((int[]) out, outShape);
        }
        Tensor y = Tensor.of((float[]) out, outShape);
        if (Profiler.enabled()) {
            Profiler.record("concat", 0, 0);
        }
        return Autograd.record("concat", y, g -> {
            Tensor[] grads = new Tensor[sizes.length];
            for (int t = 0, start = 0; t < sizes.length; start += sizes[t], t++) {
                grads[t] = g.narrow(a, start, sizes[t]).copy();
            }
            if (Profiler.enabled()) {
                Profiler.record("concat.backward", 0, 0);
            }
            return grads;
        }, tensors);
    }

    /** Joins same-shaped tensors along a new axis {@code axis} (0..rank). */
    public static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: no tensors, expected at least one");
        }
        int[] shape = tensors[0].shape;
        int a = Shapes.axis("stack", axis, shape.length + 1);
        Tensor[] lifted = new Tensor[tensors.length];
        for (int t = 0; t < tensors.length; t++) {
            if (!Shapes.same(tensors[t].shape, shape)) {
                throw new IllegalArgumentException("stack: tensor " + t + " has shape " + Shapes.str(tensors[t].shape)
                        + " but tensor 0 has " + Shapes.str(shape) + ", expected equal shapes");
            }
            lifted[t] = tensors[t].unsqueeze(a);
        }
        return concat(a, lifted);
    }

    // ------------------------------------------------------------------ split, chunk

    /**
     * Splits {@code x} along {@code axis} into pieces of {@code size} (the last one may be
     * smaller); the pieces are views. Like PyTorch's {@code split(int)}.
     */
    public static Tensor[] split(Tensor x, int axis, int size) {
        int a = Shapes.axis("split", axis, x.dim());
        if (size <= 0) {
            throw new IllegalArgumentException("split: size " + size + ", expected a positive piece size");
        }
        int dim = x.shape[a];
        int pieces = Math.max(1, (dim + size - 1) / size);
        int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            sizes[i] = Math.min(size, dim - i * size);
        }
        return narrowPieces(x, a, sizes);
    }

    /**
     * Splits {@code x} along {@code axis} into pieces of the given sizes, which must add up to
     * {@code x.size(axis)}; the pieces are views. Like PyTorch's {@code split(list)}.
     */
    public static Tensor[] split(Tensor x, int axis, int... sizes) {
        int a = Shapes.axis("split", axis, x.dim());
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: sizes " + Shapes.str(sizes) + " contain a negative size");
            }
            sum += s;
        }
        if (sum != x.shape[a]) {
            throw new IllegalArgumentException("split: sizes " + Shapes.str(sizes) + " add up to " + sum
                    + ", expected axis " + a + " of " + Shapes.str(x.shape) + " = " + x.shape[a]);
        }
        return narrowPieces(x, a, sizes);
    }

    /**
     * Splits {@code x} along {@code axis} into at most {@code n} views of equal size (the last may
     * be smaller), as PyTorch's {@code chunk}: piece size is {@code ceil(size / n)}.
     */
    public static Tensor[] chunk(Tensor x, int axis, int n) {
        int a = Shapes.axis("chunk", axis, x.dim());
        if (n <= 0) {
            throw new IllegalArgumentException("chunk: " + n + " chunks, expected a positive count");
        }
        int dim = x.shape[a];
        return split(x, a, Math.max(1, (dim + n - 1) / n));
    }

    private static Tensor[] narrowPieces(Tensor x, int axis, int[] sizes) {
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0, start = 0; i < sizes.length; start += sizes[i], i++) {
            out[i] = x.narrow(axis, start, sizes[i]);
        }
        return out;
    }

    // ------------------------------------------------------------------ gather, scatterAdd

    /**
     * PyTorch's {@code gather}: {@code out[p] = x[p with p[axis] = index[p]]} for every position p
     * of {@code index}, which has x's rank and at most x's size on every axis but {@code axis}.
     * The result has index's shape.
     */
    public static Tensor gather(Tensor x, int axis, Tensor index) {
        requireFloat("gather", "x", x);
        requireInt("gather", "index", index);
        int a = Shapes.axis("gather", axis, x.dim());
        checkIndexShape("gather", "x", x.shape, a, index.shape);
        Tensor xc = x.contiguous();
        Tensor ic = index.contiguous();
        float[] out = new float[ic.numel()];
        walk("gather", false, xc.data(), xc.offset, x.shape, a, ic.intData(), ic.offset, index.shape,
                out, 0, index.shape);
        Tensor y = Tensor.of(out, index.shape);
        if (Profiler.enabled()) {
            Profiler.record("gather", 0, 0);
        }
        int[] xShape = x.shape;
        return Autograd.record("gather", y, g -> {
            Tensor gc = g.contiguous();
            float[] gx = new float[Shapes.numel(xShape)];
            walk("gather", true, gx, 0, xShape, a, ic.intData(), ic.offset, ic.shape, gc.data(), gc.offset, ic.shape);
            if (Profiler.enabled()) {
                Profiler.record("gather.backward", 0, ic.numel());
            }
            return new Tensor[] {Tensor.of(gx, xShape)};
        }, x);
    }

    /**
     * PyTorch's {@code scatter_add} (out of place): a copy of {@code x} with
     * {@code out[p with p[axis] = index[p]] += src[p]} for every position p of {@code index}.
     * {@code index} has x's rank, at most x's size on axes other than {@code axis} and at most
     * src's size on every axis. Differentiable in x and src.
     */
    public static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
        requireFloat("scatterAdd", "x", x);
        requireFloat("scatterAdd", "src", src);
        requireInt("scatterAdd", "index", index);
        int a = Shapes.axis("scatterAdd", axis, x.dim());
        checkIndexShape("scatterAdd", "x", x.shape, a, index.shape);
        checkIndexShape("scatterAdd", "src", src.shape, -1, index.shape);
        float[] out = x.toFloatArray();
        Tensor ic = index.contiguous();
        Tensor sc = src.contiguous();
        walk("scatterAdd", true, out, 0, x.shape, a, ic.intData(), ic.offset, index.shape,
                sc.data(), sc.offset, src.shape);
        Tensor y = Tensor.of(out, x.shape);
        if (Profiler.enabled()) {
            Profiler.record("scatterAdd", 0, ic.numel());
        }
        int[] srcShape = src.shape;
        return Autograd.record("scatterAdd", y, g -> {
            Tensor gc = g.contiguous();
            float[] gs = new float[Shapes.numel(srcShape)];
            walk("scatterAdd", false, gc.data(), gc.offset, gc.shape, a, ic.intData(), ic.offset, ic.shape,
                    gs, 0, srcShape);
            if (Profiler.enabled()) {
                Profiler.record("scatterAdd.backward", 0, 0);
            }
            return new Tensor[] {gc.copy(), Tensor.of(gs, srcShape)};
        }, x, src);
    }

    /**
     * Visits every position p of the index (row-major); {@code sel} is p with {@code p[axis]}
     * replaced by {@code index[p]} in the contiguous array {@code a} of shape {@code aShape},
     * {@code direct} is p in the contiguous array {@code b} of shape {@code bShape}. With
     * {@code add} it does {@code a[sel] += b[direct]} (scatterAdd), otherwise
     * {@code b[direct] = a[sel]} (gather).
     */
    private static void walk(String op, boolean add, float[] a, int aOff, int[] aShape, int axis,
                             int[] idx, int idxOff, int[] idxShape, float[] b, int bOff, int[] bShape) {
        int rank = idxShape.length;
        int n = Shapes.numel(idxShape);
        if (n == 0) {
            return;
        }
        int[] aStr = Shapes.contiguousStrides(aShape);
        int[] bStr = Shapes.contiguousStrides(bShape);
        int limit = aShape[axis];
        int[] p = new int[rank];
        int aBase = aOff; // offset of p in a, with p[axis] taken as 0
        int bPos = bOff;
        for (int e = 0; e < n; e++) {
            int v = idx[idxOff + e];
            if (v < 0 || v >= limit) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " at " + Arrays.toString(p)
                        + " out of range for axis " + axis + " of size " + limit);
            }
            int sel = aBase + v * aStr[axis];
            if (add) {
                a[sel] += b[bPos];
            } else {
                b[bPos] = a[sel];
            }
            for (int d = rank - 1; d >= 0; d--) { // odometer step over the index shape
                p[d]++;
                if (d != axis) {
                    aBase += aStr[d];
                }
                bPos += bStr[d];
                if (p[d] < idxShape[d]) {
                    break;
                }
                if (d != axis) {
                    aBase -= aStr[d] * p[d];
                }
                bPos -= bStr[d] * p[d];
                p[d] = 0;
            }
        }
    }

    /** Index rank equals the target's rank and index sizes fit in it (except on {@code axis}). */
    private static void checkIndexShape(String op, String name, int[] shape, int axis, int[] idxShape) {
        if (idxShape.length != shape.length) {
            throw new IllegalArgumentException(op + ": index of shape " + Shapes.str(idxShape) + " for " + name
                    + " of shape " + Shapes.str(shape) + ", expected the same rank " + shape.length);
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != axis && idxShape[d] > shape[d]) {
                throw new IllegalArgumentException(op + ": index of shape " + Shapes.str(idxShape) + " for " + name
                        + " of shape " + Shapes.str(shape) + ": dimension " + d + " is " + idxShape[d]
                        + ", expected at most " + shape[d]);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void checkRange(String op, int[] idx, int off, int n, int size, String what) {
        for (int i = 0; i < n; i++) {
            int v = idx[off + i];
            if (v < 0 || v >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " out of range" + what);
            }
        }
    }

    private static void requireFloat(String op, String name, Tensor t) {
        if (!t.isFloat()) {
            throw new IllegalArgumentException(op + ": " + name + " holds " + t.dtype() + ", expected FLOAT32");
        }
    }

    private static void requireInt(String op, String name, Tensor t) {
        if (t.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": " + name + " holds " + t.dtype() + ", expected INT32 indices");
        }
    }

    private static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
