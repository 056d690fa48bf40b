package dev.jumbo.tensor;

import java.util.Arrays;

/**
 * Views and layout changes: reshape, permute, narrow, expand and friends make new tensors over the
 * same storage (copying only when a reshape meets a non-contiguous view), each with its backward.
 * {@link Tensor}'s methods of the same names are the front door.
 */
final class ViewOps {
    private ViewOps() {}

    /** A contiguous tensor with the same values: {@code this} when already contiguous heap float/int. */
    static Tensor contiguous(Tensor x) {
        boolean heap = x.storage instanceof FloatStorage || x.storage instanceof IntStorage;
        if (heap && x.isContiguous()) {
            return x;
        }
        return x.copy();
    }

    /** A contiguous copy (differentiable). */
    static Tensor copy(Tensor x) {
        if (x.storage instanceof IntStorage is) {
            int[] dst = new int[x.numel()];
            Strided.gather(is.data, x.offset, x.shape, x.strides, dst, 0);
            return Tensor.ofInts(dst, x.shape);
        }
        FloatStorage fs = x.storage.toFloatStorage();
        float[] dst = new float[x.numel()];
        Strided.gather(fs.data, x.offset, x.shape, x.strides, dst, 0);
        Tensor out = Tensor.of(dst, x.shape);
        return Autograd.record("copy", out, g -> new Tensor[] {g}, x);
    }

    /** Same data, new shape; one dimension may be -1. Copies only when this view is not contiguous. */
    static Tensor reshape(Tensor x, int... newShape) {
        int[] target = inferShape(x, "reshape", newShape);
        Tensor src = x.isContiguous() ? x : x.copy();
        Tensor out = new Tensor(src.storage, target, Shapes.contiguousStrides(target), src.offset);
        int[] old = x.shape;
        return Autograd.record("reshape", out, g -> new Tensor[] {g.reshape(old)}, src);
    }

    /** Like {@link #reshape(int...)} but never copies: fails on a non-contiguous view. */
    static Tensor view(Tensor x, int... newShape) {
        if (!x.isContiguous()) {
            throw new IllegalStateException("view: tensor of x.shape " + Shapes.str(x.shape) + " with x.strides "
                    + Shapes.str(x.strides) + " is not contiguous; use x.reshape() or x.contiguous()");
        }
        return x.reshape(newShape);
    }

    /** Collapses all dimensions from {@code startAxis} on into one. */
    static Tensor flatten(Tensor x, int startAxis) {
        int a = Shapes.axis("flatten", startAxis, Math.max(1, x.shape.length));
        int[] ns = new int[a + 1];
        System.arraycopy(x.shape, 0, ns, 0, a);
        int rest = 1;
        for (int i = a; i < x.shape.length; i++) {
            rest *= x.shape[i];
        }
        ns[a] = rest;
        return x.reshape(ns);
    }

    private static int[] inferShape(Tensor x, String op, int[] newShape) {
        int known = 1;
        int infer = -1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": " + Shapes.str(newShape) + " has more than one -1");
                }
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException(op + ": " + Shapes.str(newShape) + " has a negative dimension");
            } else {
                known *= newShape[i];
            }
        }
        int n = x.numel();
        int[] out = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape " + Shapes.str(x.shape) + " (" + n
                        + " elements) into " + Shapes.str(newShape));
            }
            out[infer] = n / known;
        }
        if (Shapes.numel(out) != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + Shapes.str(x.shape) + " (" + n
                    + " elements) into " + Shapes.str(newShape) + " (" + Shapes.numel(out) + " elements)");
        }
        return out;
    }

    /** Swaps two dimensions (a view). */
    static Tensor transpose(Tensor x, int axis0, int axis1) {
        int[] perm = new int[x.shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int a = Shapes.axis("transpose", axis0, x.shape.length);
        int b = Shapes.axis("transpose", axis1, x.shape.length);
        perm[a] = b;
        perm[b] = a;
        return x.permute(perm);
    }

    /** The matrix transpose of a 2-d tensor (a view). */
    static Tensor t(Tensor x) {
        if (x.shape.length != 2) {
            throw new IllegalStateException("t: tensor of x.shape " + Shapes.str(x.shape) + ", expected rank 2");
        }
        return x.transpose(0, 1);
    }

    /** Reorders dimensions (a view): output dimension i is input dimension {@code perm[i]}. */
    static Tensor permute(Tensor x, int... perm) {
        if (perm.length != x.shape.length) {
            throw new IllegalArgumentException("permute: " + Shapes.str(perm) + " for a tensor of rank "
                    + x.shape.length + ", expected " + x.shape.length + " axes");
        }
        int[] ns = new int[perm.length];
        int[] st = new int[perm.length];
        int[] inverse = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shapes.axis("permute", perm[i], x.shape.length);
            if (seen[p]) {
                throw new IllegalArgumentException("permute: " + Shapes.str(perm) + " repeats axis " + p);
            }
            seen[p] = true;
            ns[i] = x.shape[p];
            st[i] = x.strides[p];
            inverse[p] = i;
        }
        Tensor out = new Tensor(x.storage, ns, st, x.offset);
        return Autograd.record("permute", out, g -> new Tensor[] {g.permute(inverse)}, x);
    }

    /** Elements {@code start .. start+length-1} along {@code axis} (a view). */
    static Tensor narrow(Tensor x, int axis, int start, int length) {
        int a = Shapes.axis("narrow", axis, x.shape.length);
        if (start < 0 || length < 0 || start + length > x.shape[a]) {
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length
                    + " on axis " + a + " of size " + x.shape[a] + ", expected 0 <= start <= start+length <= " + x.shape[a]);
        }
        int[] ns = x.shape.clone();
        ns[a] = length;
        Tensor out = new Tensor(x.storage, ns, x.strides, x.offset + start * x.strides[a]);
        int[] inShape = x.shape;
        return Autograd.record("narrow", out, g -> {
            Tensor full = Tensor.zeros(inShape);
            Tensor window = full.narrow(a, start, length);
            Tensor gc = g.contiguous();
            Strided.scatter(gc.data(), gc.offset, full.data(), window.offset, window.shape, window.strides);
            return new Tensor[] {full};
        }, x);
    }

    /** Python-style slice {@code [start:end]} along an axis; negative bounds count from the end. */
    static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = Shapes.axis("slice", axis, x.shape.length);
        int n = x.shape[a];
        int s = Math.clamp(start < 0 ? start + n : start, 0, n);
        int e = Math.clamp(end < 0 ? end + n : end, 0, n);
        return x.narrow(a, s, Math.max(0, e - s));
    }

    /** Selects index {@code i} along {@code axis}, removing that dimension (a view). */
    static Tensor select(Tensor x, int axis, int i) {
        int a = Shapes.axis("select", axis, x.shape.length);
        return x.narrow(a, i < 0 ? i + x.shape[a] : i, 1).squeeze(a);
    }

    /** Broadcasts size-1 dimensions to {@code newShape} without copying (stride 0). */
    static Tensor expand(Tensor x, int... newShape) {
        if (newShape.length < x.shape.length) {
            throw new IllegalArgumentException("expand: " + Shapes.str(x.shape) + " to " + Shapes.str(newShape)
                    + ", expected at least rank " + x.shape.length);
        }
        int lead = newShape.length - x.shape.length;
        int[] st = new int[newShape.length];
        int[] ns = newShape.clone();
        for (int i = 0; i < newShape.length; i++) {
            if (i < lead) {
                st[i] = 0;
                continue;
            }
            int d = x.shape[i - lead];
            if (ns[i] == -1) {
                ns[i] = d;
            }
            if (d == ns[i]) {
                st[i] = x.strides[i - lead];
            } else if (d == 1) {
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: " + Shapes.str(x.shape) + " to " + Shapes.str(newShape)
                        + ": dimension " + i + " is " + d + ", expected " + ns[i] + " or 1");
            }
        }
        Tensor out = new Tensor(x.storage, ns, st, x.offset);
        int[] inShape = x.shape;
        return Autograd.record("expand", out, g -> new Tensor[] {g.sumTo(inShape)}, x);
    }

    /** Sums this tensor (a broadcast of {@code target}) back to shape {@code target}. */
    static Tensor sumTo(Tensor x, int... target) {
        if (Shapes.same(x.shape, target)) {
            return x;
        }
        Shapes.broadcast("sumTo", target, x.shape); // validates that target broadcasts to x.shape
        Tensor c = x.contiguous();
        float[] src = c.offset == 0 && c.data().length == c.numel() ? c.data()
                : Arrays.copyOfRange(c.data(), c.offset, c.offset + c.numel());
        Tensor out = Tensor.of(Strided.sumTo(src, x.shape, target), target);
        return Autograd.record("sumTo", out, g -> new Tensor[] {g.expand(x.shape).contiguous()}, x);
    }

    /** Inserts a dimension of size 1 at {@code axis} (a view). */
    static Tensor unsqueeze(Tensor x, int axis) {
        int a = Shapes.axis("unsqueeze", axis, x.shape.length + 1);
        int[] ns = new int[x.shape.length + 1];
        int[] st = new int[x.shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == a) {
                ns[i] = 1;
                st[i] = 1; // any stride works for a size-1 dimension
            } else {
                ns[i] = x.shape[j];
                st[i] = x.strides[j++];
            }
        }
        return shapeOnlyView(x, "unsqueeze", ns, st);
    }

    /** Removes dimension {@code axis}, which must have size 1 (a view). */
    static Tensor squeeze(Tensor x, int axis) {
        int a = Shapes.axis("squeeze", axis, x.shape.length);
        if (x.shape[a] != 1) {
            throw new IllegalArgumentException("squeeze: axis " + a + " of " + Shapes.str(x.shape)
                    + " has size " + x.shape[a] + ", expected 1");
        }
        int[] ns = new int[x.shape.length - 1];
        int[] st = new int[x.shape.length - 1];
        for (int i = 0, j = 0; i < x.shape.length; i++) {
            if (i != a) {
                ns[j] = x.shape[i];
                st[j++] = x.strides[i];
            }
        }
        return shapeOnlyView(x, "squeeze", ns, st);
    }

    /** A view that only adds or removes size-1 dimensions; its gradient is reshaped back. */
    private static Tensor shapeOnlyView(Tensor x, String op, int[] ns, int[] st) {
        Tensor out = new Tensor(x.storage, ns, st, x.offset);
        int[] old = x.shape;
        return Autograd.record(op, out, g -> new Tensor[] {g.reshape(old)}, x);
    }

}
