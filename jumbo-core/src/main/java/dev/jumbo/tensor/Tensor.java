package dev.jumbo.tensor;

import dev.jumbo.kernels.Binary;
import dev.jumbo.kernels.BinaryOp;
import java.util.Arrays;

/**
 * An n-dimensional array of float32 (or int32) elements with autograd.
 *
 * <p>A tensor is a view: a {@link Storage} plus shape, strides and an offset. Reshape (when
 * contiguous), transpose, permute, narrow and expand make new views without copying;
 * {@link #contiguous()} copies only when needed. Ops live in small op classes (one op's shape rule,
 * forward and backward side by side); the methods here are the familiar PyTorch-style front door.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(new Rng(1), 3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * System.out.println(w.grad()); // d loss / d w, shape [3,2]
 * }</pre>
 */
public final class Tensor {

    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;

    boolean requiresGrad;
    boolean retainsGrad;
    GradFn gradFn;
    Tensor grad;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A new contiguous tensor over {@code storage}. */
    public static Tensor wrap(Storage storage, int... shape) {
        Shapes.checkDims("wrap", shape);
        int n = Shapes.numel(shape);
        if (storage.length() < n) {
            throw new IllegalArgumentException("wrap: storage has " + storage.length() + " elements, shape "
                    + Shapes.str(shape) + " needs " + n);
        }
        return new Tensor(storage, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    // ------------------------------------------------------------------ creation

    /** A float tensor over {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        Shapes.checkDims("of", shape);
        int n = Shapes.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("of: " + data.length + " values for shape " + Shapes.str(shape)
                    + ", expected " + n);
        }
        return new Tensor(new FloatStorage(data), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** A 1-d float tensor holding {@code values}. */
    public static Tensor vector(float... values) {
        return of(values.clone(), values.length);
    }

    /** An int32 tensor over {@code data} (not copied): indices and labels. */
    public static Tensor ofInts(int[] data, int... shape) {
        Shapes.checkDims("ofInts", shape);
        int n = Shapes.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("ofInts: " + data.length + " values for shape "
                    + Shapes.str(shape) + ", expected " + n);
        }
        return new Tensor(new IntStorage(data), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** A rank-0 float tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new FloatStorage(new float[] {value}), new int[0], new int[0], 0);
    }

    public static Tensor zeros(int... shape) {
        Shapes.checkDims("zeros", shape);
        return new Tensor(new FloatStorage(Shapes.numel(shape)), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(((FloatStorage) t.storage).data, value);
        return t;
    }

    /** An int32 tensor of zeros. */
    public static Tensor zerosInt(int... shape) {
        Shapes.checkDims("zerosInt", shape);
        return ofInts(new int[Shapes.numel(shape)], shape);
    }

    /** {@code [0, 1, ..., n-1]} as float32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** {@code start, start+step, ...} below {@code end} (above it for a negative step), as float32. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) {
            throw new IllegalArgumentException("arange: step " + step + ", expected a non-zero number");
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return of(d, n);
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        Tensor t = zeros(n, n);
        float[] d = ((FloatStorage) t.storage).data;
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1f;
        }
        return t;
    }

    // ------------------------------------------------------------------ metadata and element access

    public int[] shape() {
        return shape.clone();
    }

    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Storage storage() {
        return storage;
    }

    public boolean isFloat() {
        return storage.dtype() == DType.FLOAT32;
    }

    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The element at {@code index} (one coordinate per dimension) as a float. */
    public float get(int... index) {
        return storage.getFloat(flatIndex("get", index));
    }

    /** The element at {@code index} as an int. */
    public int getInt(int... index) {
        return storage.getInt(flatIndex("getInt", index));
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape)
                    + " has " + numel() + " elements, expected exactly 1");
        }
        return storage.getFloat(offset);
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank "
                    + shape.length + ", expected " + shape.length);
        }
        int f = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " out of range for dimension "
                        + i + " of size " + shape[i]);
            }
            f += index[i] * strides[i];
        }
        return f;
    }

    /** The elements in row-major order, as a new float array. */
    public float[] toFloatArray() {
        Tensor c = contiguous();
        if (c.storage instanceof FloatStorage fs) {
            return Arrays.copyOfRange(fs.data, c.offset, c.offset + c.numel());
        }
        int n = c.numel();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.storage.getFloat(c.offset + i);
        }
        return out;
    }

    /** The elements in row-major order, as a new int array. */
    public int[] toIntArray() {
        Tensor c = contiguous();
        int n = c.numel();
        if (c.storage instanceof IntStorage is) {
            return Arrays.copyOfRange(is.data, c.offset, c.offset + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.storage.getInt(c.offset + i);
        }
        return out;
    }

    /**
     * The backing float array of a contiguous float tensor, for kernels; elements start at
     * {@link #offset()}. Call {@link #contiguous()} first when unsure.
     */
    public float[] data() {
        if (!(storage instanceof FloatStorage fs)) {
            throw new IllegalStateException("data: tensor holds " + storage.dtype() + " in "
                    + storage.getClass().getSimpleName() + ", expected heap float32 (call contiguous() first)");
        }
        return fs.data;
    }

    /** The backing int array of an int tensor; elements start at {@link #offset()}. */
    public int[] intData() {
        if (!(storage instanceof IntStorage is)) {
            throw new IllegalStateException("intData: tensor holds " + storage.dtype() + ", expected int32");
        }
        return is.data;
    }

    // ------------------------------------------------------------------ autograd

    /** Marks a leaf tensor as a parameter whose gradient {@link #backward()} fills in. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false): only leaf tensors can stop requiring grad; use detach()");
        }
        if (value && !isFloat()) {
            throw new IllegalStateException("requiresGrad: only float32 tensors can require grad, this one is " + dtype());
        }
        this.requiresGrad = value;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for tensors not produced by a recorded op (parameters, inputs). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Keeps the gradient of this intermediate tensor in {@link #grad()} during backward. */
    public Tensor retainGrad() {
        this.retainsGrad = true;
        return this;
    }

    /** The accumulated gradient, or {@code null} before any backward reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /** Replaces the accumulated gradient (used by optimizers and gradient clipping). */
    public void setGrad(Tensor g) {
        if (g != null && !Shapes.same(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape)
                    + " for a tensor of shape " + Shapes.str(shape));
        }
        grad = g;
    }

    /** The name of the op that produced this tensor, or {@code null} for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    /** Backpropagates from a scalar (one-element) tensor. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: called on a tensor of shape " + Shapes.str(shape)
                    + ", expected a scalar; pass the output gradient with backward(gradient)");
        }
        backward(full(1f, shape), false);
    }

    /** Backpropagates with the given gradient of this tensor. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /** Backpropagates; with {@code retainGraph} the tape is kept for another backward. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient.contiguous(), retainGraph);
    }

    /** A tensor sharing this one's storage but cut from the tape. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    void accumulateGrad(Tensor g) {
        if (!requiresGrad) {
            return;
        }
        Tensor gc = g.contiguous();
        if (grad == null) {
            // Own the buffer: the incoming gradient may be shared (add's backward hands the same
            // tensor to both inputs) or a view of other data, and later accumulation writes in place.
            // The buffer is made (and counted by a profiler) before the copy, while the incoming
            // gradient is certainly still reachable: counted after it, the peak would depend on
            // whether the JIT had already compiled this method and let that gradient die.
            grad = of(new float[gc.numel()], shape);
            System.arraycopy(gc.data(), gc.offset, grad.data(), grad.offset, grad.numel());
        } else {
            float[] dst = grad.data();
            Binary.apply(BinaryOp.ADD, dst, grad.offset, gc.data(), gc.offset, dst, grad.offset, grad.numel());
        }
    }

    // ------------------------------------------------------------------ views (no copy): ViewOps

    /** A contiguous tensor with the same values: {@code this} when already contiguous heap float/int. */
    public Tensor contiguous() {
        return ViewOps.contiguous(this);
    }

    /** A contiguous copy (differentiable). */
    public Tensor copy() {
        return ViewOps.copy(this);
    }

    /** Same data, new shape; one dimension may be -1. Copies only when this view is not contiguous. */
    public Tensor reshape(int... newShape) {
        return ViewOps.reshape(this, newShape);
    }

    /** Like {@link #reshape(int...)} but never copies: fails on a non-contiguous view. */
    public Tensor view(int... newShape) {
        return ViewOps.view(this, newShape);
    }

    /** Collapses all dimensions from {@code startAxis} on into one. */
    public Tensor flatten(int startAxis) {
        return ViewOps.flatten(this, startAxis);
    }

    /** Swaps two dimensions (a view). */
    public Tensor transpose(int axis0, int axis1) {
        return ViewOps.transpose(this, axis0, axis1);
    }

    /** The matrix transpose of a 2-d tensor (a view). */
    public Tensor t() {
        return ViewOps.t(this);
    }

    /** Reorders dimensions (a view): output dimension i is input dimension {@code perm[i]}. */
    public Tensor permute(int... perm) {
        return ViewOps.permute(this, perm);
    }

    /** Elements {@code start .. start+length-1} along {@code axis} (a view). */
    public Tensor narrow(int axis, int start, int length) {
        return ViewOps.narrow(this, axis, start, length);
    }

    /** Python-style slice {@code [start:end]} along an axis; negative bounds count from the end. */
    public Tensor slice(int axis, int start, int end) {
        return ViewOps.slice(this, axis, start, end);
    }

    /** Selects index {@code i} along {@code axis}, removing that dimension (a view). */
    public Tensor select(int axis, int i) {
        return ViewOps.select(this, axis, i);
    }

    /** Broadcasts size-1 dimensions to {@code newShape} without copying (stride 0). */
    public Tensor expand(int... newShape) {
        return ViewOps.expand(this, newShape);
    }

    /** Sums this tensor (a broadcast of {@code target}) back to shape {@code target}. */
    public Tensor sumTo(int... target) {
        return ViewOps.sumTo(this, target);
    }

    /** Inserts a dimension of size 1 at {@code axis} (a view). */
    public Tensor unsqueeze(int axis) {
        return ViewOps.unsqueeze(this, axis);
    }

    /** Removes dimension {@code axis}, which must have size 1 (a view). */
    public Tensor squeeze(int axis) {
        return ViewOps.squeeze(this, axis);
    }

    // ------------------------------------------------------------------ minimal arithmetic the tape needs

    /**
     * Elementwise sum of two tensors of the same shape. The broadcasting, differentiable family of
     * arithmetic lives in {@code ElementwiseOps}; this one is what backward accumulates with.
     */
    Tensor addSameShape(Tensor other) {
        Tensor a = contiguous();
        Tensor b = other.contiguous();
        float[] out = new float[a.numel()];
        Binary.apply(BinaryOp.ADD, a.data(), a.offset, b.data(), b.offset, out, 0, out.length);
        return of(out, shape);
    }

    // ==================================================================== elementwise, unary, reductions, random
    // (ElementwiseOps, UnaryOps, ReduceOps, RandomOps: add facade methods for them below this line)

    // Arithmetic broadcasts like NumPy; INT32 operands are converted to FLOAT32 (see ElementwiseOps).

    /** {@code this + other}, broadcasting. Example: {@code Tensor.ones(3, 1).add(Tensor.ones(4))} is [3,4]. */
    public Tensor add(Tensor other) {
        return ElementwiseOps.add(this, other);
    }

    public Tensor add(float s) {
        return ElementwiseOps.add(this, s);
    }

    public Tensor sub(Tensor other) {
        return ElementwiseOps.sub(this, other);
    }

    public Tensor sub(float s) {
        return ElementwiseOps.sub(this, s);
    }

    public Tensor mul(Tensor other) {
        return ElementwiseOps.mul(this, other);
    }

    public Tensor mul(float s) {
        return ElementwiseOps.mul(this, s);
    }

    public Tensor div(Tensor other) {
        return ElementwiseOps.div(this, other);
    }

    public Tensor div(float s) {
        return ElementwiseOps.div(this, s);
    }

    public Tensor pow(Tensor exponent) {
        return ElementwiseOps.pow(this, exponent);
    }

    public Tensor pow(float exponent) {
        return UnaryOps.pow(this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return ElementwiseOps.maximum(this, other);
    }

    public Tensor minimum(Tensor other) {
        return ElementwiseOps.minimum(this, other);
    }

    public Tensor neg() {
        return ElementwiseOps.neg(this);
    }

    public Tensor exp() {
        return UnaryOps.exp(this);
    }

    public Tensor log() {
        return UnaryOps.log(this);
    }

    public Tensor sqrt() {
        return UnaryOps.sqrt(this);
    }

    public Tensor rsqrt() {
        return UnaryOps.rsqrt(this);
    }

    public Tensor tanh() {
        return UnaryOps.tanh(this);
    }

    public Tensor sigmoid() {
        return UnaryOps.sigmoid(this);
    }

    public Tensor relu() {
        return UnaryOps.relu(this);
    }

    public Tensor leakyRelu(float slope) {
        return UnaryOps.leakyRelu(this, slope);
    }

    /** GELU, exact erf form; {@link #geluTanh()} is the tanh approximation. */
    public Tensor gelu() {
        return UnaryOps.gelu(this);
    }

    public Tensor geluTanh() {
        return UnaryOps.geluTanh(this);
    }

    public Tensor silu() {
        return UnaryOps.silu(this);
    }

    public Tensor abs() {
        return UnaryOps.abs(this);
    }

    public Tensor square() {
        return UnaryOps.square(this);
    }

    public Tensor clamp(float min, float max) {
        return UnaryOps.clamp(this, min, max);
    }

    /** {@code this == other} as a FLOAT32 0/1 tensor (broadcasting, not differentiable). */
    public Tensor eq(Tensor other) {
        return ElementwiseOps.eq(this, other);
    }

    public Tensor eq(float s) {
        return ElementwiseOps.eq(this, scalar(s));
    }

    public Tensor ne(Tensor other) {
        return ElementwiseOps.ne(this, other);
    }

    public Tensor ne(float s) {
        return ElementwiseOps.ne(this, scalar(s));
    }

    public Tensor lt(Tensor other) {
        return ElementwiseOps.lt(this, other);
    }

    public Tensor lt(float s) {
        return ElementwiseOps.lt(this, scalar(s));
    }

    public Tensor le(Tensor other) {
        return ElementwiseOps.le(this, other);
    }

    public Tensor le(float s) {
        return ElementwiseOps.le(this, scalar(s));
    }

    public Tensor gt(Tensor other) {
        return ElementwiseOps.gt(this, other);
    }

    public Tensor gt(float s) {
        return ElementwiseOps.gt(this, scalar(s));
    }

    public Tensor ge(Tensor other) {
        return ElementwiseOps.ge(this, other);
    }

    public Tensor ge(float s) {
        return ElementwiseOps.ge(this, scalar(s));
    }

    /** {@code cond ? a : b} elementwise, broadcasting; cond is float or int, nonzero = true. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return ElementwiseOps.where(cond, a, b);
    }

    /** This tensor with {@code value} where {@code mask} is nonzero. */
    public Tensor maskedFill(Tensor mask, float value) {
        return ElementwiseOps.maskedFill(this, mask, value);
    }

    /** Sum of all elements (rank 0). Example: {@code x.sum().item()}. */
    public Tensor sum() {
        return ReduceOps.sum(this);
    }

    public Tensor sum(int axis, boolean keepdim) {
        return ReduceOps.sum(this, new int[] {axis}, keepdim);
    }

    public Tensor sum(int[] axes, boolean keepdim) {
        return ReduceOps.sum(this, axes, keepdim);
    }

    public Tensor mean() {
        return ReduceOps.mean(this);
    }

    public Tensor mean(int axis, boolean keepdim) {
        return ReduceOps.mean(this, new int[] {axis}, keepdim);
    }

    public Tensor mean(int[] axes, boolean keepdim) {
        return ReduceOps.mean(this, axes, keepdim);
    }

    /** Max of all elements (rank 0); NaN wins. */
    public Tensor max() {
        return ReduceOps.max(this);
    }

    /** Max values along {@code axis}; {@link #argmax(int, boolean)} gives the indices. */
    public Tensor max(int axis, boolean keepdim) {
        return ReduceOps.max(this, new int[] {axis}, keepdim);
    }

    public Tensor max(int[] axes, boolean keepdim) {
        return ReduceOps.max(this, axes, keepdim);
    }

    public Tensor min() {
        return ReduceOps.min(this);
    }

    public Tensor min(int axis, boolean keepdim) {
        return ReduceOps.min(this, new int[] {axis}, keepdim);
    }

    public Tensor min(int[] axes, boolean keepdim) {
        return ReduceOps.min(this, axes, keepdim);
    }

    /** Flat index of the max element (INT32 scalar). */
    public Tensor argmax() {
        return ReduceOps.argmax(this);
    }

    public Tensor argmax(int axis, boolean keepdim) {
        return ReduceOps.argmax(this, axis, keepdim);
    }

    public Tensor argmin() {
        return ReduceOps.argmin(this);
    }

    public Tensor argmin(int axis, boolean keepdim) {
        return ReduceOps.argmin(this, axis, keepdim);
    }

    /** Variance of all elements; unbiased divides by N-1. */
    public Tensor var(boolean unbiased) {
        return ReduceOps.var(this, unbiased);
    }

    public Tensor var(int axis, boolean keepdim, boolean unbiased) {
        return ReduceOps.var(this, new int[] {axis}, keepdim, unbiased ? 1 : 0);
    }

    public Tensor var(int[] axes, boolean keepdim, boolean unbiased) {
        return ReduceOps.var(this, axes, keepdim, unbiased ? 1 : 0);
    }

    public Tensor logsumexp(int axis, boolean keepdim) {
        return ReduceOps.logsumexp(this, new int[] {axis}, keepdim);
    }

    public Tensor logsumexp(int[] axes, boolean keepdim) {
        return ReduceOps.logsumexp(this, axes, keepdim);
    }

    public Tensor softmax(int axis) {
        return ReduceOps.softmax(this, axis);
    }

    public Tensor logSoftmax(int axis) {
        return ReduceOps.logSoftmax(this, axis);
    }

    /** Standard normal samples. Example: {@code Tensor.randn(new Rng(1), 3, 2)}. */
    public static Tensor randn(Rng rng, int... shape) {
        return RandomOps.randn(rng, shape);
    }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        return RandomOps.rand(rng, shape);
    }

    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        return RandomOps.uniform(rng, lo, hi, shape);
    }

    public static Tensor bernoulli(Rng rng, float p, int... shape) {
        return RandomOps.bernoulli(rng, p, shape);
    }

    public static Tensor randperm(Rng rng, int n) {
        return RandomOps.randperm(rng, n);
    }

    public static Tensor randint(Rng rng, int lo, int hi, int... shape) {
        return RandomOps.randint(rng, lo, hi, shape);
    }

    /** Inverted dropout (see {@link RandomOps#dropout}). */
    public Tensor dropout(float p, boolean training, Rng rng) {
        return RandomOps.dropout(this, p, training, rng);
    }


    // ==================================================================== end elementwise

    /** Number of bytes this tensor's elements occupy (shared storage counted once per view). */
    public long bytes() {
        return (long) numel() * dtype().bytes();
    }

    // ==================================================================== linear algebra
    // (MatmulOps: add facade methods for them below this line)

    /** Matrix product with torch.matmul semantics (dot, matrix-vector, batched with broadcasting). */
    public Tensor matmul(Tensor other) {
        return MatmulOps.matmul(this, other);
    }

    /** {@code x · weight^T + bias} over the last dimension of {@code x}; {@code bias} may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return MatmulOps.linear(x, weight, bias);
    }

    // ==================================================================== end linear algebra

    /** True when both tensors have the same shape. */
    public boolean sameShape(Tensor other) {
        return Shapes.same(shape, other.shape);
    }

    // ==================================================================== convolution, pooling, normalization
    // (ConvOps, PoolOps, NormOps: add facade methods for them below this line)

    /** 2-d convolution with stride and padding (same for H and W), dilation 1, one group. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        return ConvOps.conv2d(this, weight, bias, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, 1);
    }

    /** 2-d convolution, stride 1, no padding. */
    public Tensor conv2d(Tensor weight, Tensor bias) {
        return conv2d(weight, bias, 1, 0);
    }

    /** 2-d convolution with per-axis stride, padding and dilation, and groups (see {@link ConvOps#conv2d}). */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return ConvOps.conv2d(this, weight, bias, stride, padding, dilation, groups);
    }

    /** 1-d convolution of [N,C,L] (see {@link ConvOps#conv1d}). */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return ConvOps.conv1d(this, weight, bias, stride, padding, dilation, groups);
    }

    /** 1-d convolution with stride and padding, dilation 1, one group. */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int padding) {
        return ConvOps.conv1d(this, weight, bias, stride, padding, 1, 1);
    }

    /** k x k max pooling with stride k. */
    public Tensor maxPool2d(int kernel) {
        return maxPool2d(kernel, kernel, 0);
    }

    /** k x k max pooling with the given stride and padding. */
    public Tensor maxPool2d(int kernel, int stride, int padding) {
        return PoolOps.maxPool2d(this, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** k x k average pooling with stride k. */
    public Tensor avgPool2d(int kernel) {
        return avgPool2d(kernel, kernel, 0);
    }

    /** k x k average pooling with the given stride and padding (padding counted in the divisor). */
    public Tensor avgPool2d(int kernel, int stride, int padding) {
        return PoolOps.avgPool2d(this, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** Adaptive average pooling of [N,C,H,W] to [N,C,outH,outW]. */
    public Tensor adaptiveAvgPool2d(int outH, int outW) {
        return PoolOps.adaptiveAvgPool2d(this, outH, outW);
    }

    /** Layer norm over the trailing {@code normalizedShape}; weight and bias may be null. */
    public Tensor layerNorm(int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        return NormOps.layerNorm(this, normalizedShape, weight, bias, eps);
    }

    /** RMS norm over the last dimension; weight may be null. */
    public Tensor rmsNorm(Tensor weight, float eps) {
        return NormOps.rmsNorm(this, weight, eps);
    }

    /** Batch norm per channel (see {@link NormOps#batchNorm}). */
    public Tensor batchNorm(Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                            float momentum, float eps) {
        return NormOps.batchNorm(this, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    // ==================================================================== end convolution

    /** True when this tensor shares storage with {@code other}. */
    public boolean sharesStorage(Tensor other) {
        return storage == other.storage;
    }

    // ==================================================================== indexing and joining
    // (IndexOps: add facade methods for them below this line)

    /** Joins tensors along {@code axis} (PyTorch {@code cat}); see {@link IndexOps#concat}. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return IndexOps.concat(axis, tensors);
    }

    /** Same as {@link #concat(int, Tensor...)}. */
    public static Tensor cat(int axis, Tensor... tensors) {
        return IndexOps.concat(axis, tensors);
    }

    /** Joins same-shaped tensors along a new axis; see {@link IndexOps#stack}. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return IndexOps.stack(axis, tensors);
    }

    /** Rows of {@code weight [V,D]} for int32 {@code indices}; see {@link IndexOps#embedding}. */
    public static Tensor embedding(Tensor weight, Tensor indices) {
        return IndexOps.embedding(weight, indices);
    }

    /** Float 0/1 encoding of int32 {@code indices}; see {@link IndexOps#oneHot}. */
    public static Tensor oneHot(Tensor indices, int numClasses) {
        return IndexOps.oneHot(indices, numClasses);
    }

    /** Views of {@code size} elements along {@code axis} (last may be smaller); see {@link IndexOps#split}. */
    public Tensor[] split(int axis, int size) {
        return IndexOps.split(this, axis, size);
    }

    /** Views with the given sizes along {@code axis}, which must add up to its size. */
    public Tensor[] split(int axis, int... sizes) {
        return IndexOps.split(this, axis, sizes);
    }

    /** At most {@code n} equal views along {@code axis}; see {@link IndexOps#chunk}. */
    public Tensor[] chunk(int axis, int n) {
        return IndexOps.chunk(this, axis, n);
    }

    /** PyTorch {@code gather}; see {@link IndexOps#gather}. */
    public Tensor gather(int axis, Tensor index) {
        return IndexOps.gather(this, axis, index);
    }

    /** PyTorch {@code scatter_add} (out of place); see {@link IndexOps#scatterAdd}. */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return IndexOps.scatterAdd(this, axis, index, src);
    }

    /** Entries {@code index[i]} along {@code axis}; see {@link IndexOps#indexSelect}. */
    public Tensor indexSelect(int axis, Tensor index) {
        return IndexOps.indexSelect(this, axis, index);
    }

    // ==================================================================== end indexing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(' ').append(dtype());
        if (gradFn != null) {
            sb.append(" grad_fn=").append(gradFn.op);
        } else if (requiresGrad) {
            sb.append(" requires_grad");
        }
        int n = numel();
        if (n <= 64) {
            sb.append(' ').append(isFloat() ? Arrays.toString(toFloatArray()) : Arrays.toString(toIntArray()));
        }
        return sb.toString();
    }
}
