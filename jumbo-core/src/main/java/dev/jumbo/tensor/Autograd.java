package dev.jumbo.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Define-by-run reverse mode: ops record {@link GradFn} nodes while gradients are enabled, and
 * {@link Tensor#backward()} walks them in reverse topological order.
 *
 * <pre>{@code
 * try (var scope = Autograd.noGrad()) {
 *     Tensor prediction = model.forward(x); // no tape is recorded here
 * }
 * }</pre>
 */
public final class Autograd {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    /** A scope in which ops record no tape (inference, optimizer updates). Nests. */
    public static Scope noGrad() {
        DISABLED_DEPTH.get()[0]++;
        return new Scope();
    }

    /** Whether ops on this thread record the tape. */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /** Closes a {@link #noGrad()} scope. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {}

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DISABLED_DEPTH.get()[0]--;
            }
        }
    }

    /**
     * Attaches a tape node to {@code out} when gradients are enabled and any input needs one.
     * Every differentiable op calls this right after computing its forward result.
     */
    static Tensor record(String op, Tensor out, GradFn.Backward backward, Tensor... inputs) {
        if (!isEnabled()) {
            return out;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad) {
                out.requiresGrad = true;
                out.gradFn = new GradFn(op, inputs, backward);
                return out;
            }
        }
        return out;
    }

    /** Runs backward from {@code root} with output gradient {@code seed}. */
    static void backward(Tensor root, Tensor seed, boolean retainGraph) {
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: the tensor " + Shapes.str(root.shape)
                    + " does not require grad; expected a result of ops on tensors with requiresGrad(true)");
        }
        if (!Shapes.same(seed.shape, root.shape)) {
            throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(seed.shape)
                    + " for a tensor of shape " + Shapes.str(root.shape) + ", expected equal shapes");
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        try (Scope ignored = noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                GradFn fn = t.gradFn;
                if (fn == null) {
                    t.accumulateGrad(g);
                    continue;
                }
                if (t.retainsGrad) {
                    t.accumulateGrad(g);
                }
                if (fn.backward == null) {
                    throw new IllegalStateException("backward: the graph through '" + fn.op
                            + "' was already freed by an earlier backward; pass retainGraph=true to backward twice");
                }
                Tensor[] inGrads = fn.backward.apply(g);
                for (int k = 0; k < fn.inputs.length; k++) {
                    Tensor in = fn.inputs[k];
                    Tensor ig = inGrads[k];
                    if (in == null || ig == null || !in.requiresGrad) {
                        continue;
                    }
                    if (!Shapes.same(ig.shape, in.shape)) {
                        throw new IllegalStateException("backward of '" + fn.op + "': gradient of shape "
                                + Shapes.str(ig.shape) + " for input " + k + " of shape " + Shapes.str(in.shape));
                    }
                    grads.merge(in, ig, Tensor::addSameShape);
                }
                if (!retainGraph) {
                    fn.release(); // the tape is released: memory does not grow across steps
                }
            }
        }
    }

    /** Post-order DFS over the graph (iterative: deep nets would overflow the Java stack). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn == null || t.gradFn.inputs == null ? new Tensor[0] : t.gradFn.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
