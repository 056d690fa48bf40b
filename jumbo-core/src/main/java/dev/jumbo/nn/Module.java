package dev.jumbo.nn;

import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A layer or a model, with PyTorch {@code nn.Module} semantics: parameters, buffers and submodules
 * are registered by name, in order, and reached through dotted names ({@code layer1.0.conv1.weight}),
 * so state dicts carry PyTorch's keys.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     final Linear fc1, fc2;
 *     Mlp(Rng rng) {
 *         fc1 = registerModule("fc1", new Linear(784, 100, rng));
 *         fc2 = registerModule("fc2", new Linear(100, 10, rng));
 *     }
 *     public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * Module m = new Mlp(new Rng(1));
 * m.stateDict().keySet(); // [fc1.weight, fc1.bias, fc2.weight, fc2.bias]
 * }</pre>
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private String zooName;
    private List<ForwardHook> hooks;

    /** The output for input {@code x}; containers run their children through {@link #call(Tensor)}. */
    public abstract Tensor forward(Tensor x);

    /** Called after a module's forward with its input and output (PyTorch forward hooks). */
    @FunctionalInterface
    public interface ForwardHook {
        void after(Module module, Tensor input, Tensor output);
    }

    /**
     * {@link #forward(Tensor)} followed by this module's forward hooks (PyTorch's {@code module(x)}).
     * Containers call their children this way, so hooks see every submodule's output.
     */
    public final Tensor call(Tensor x) {
        Tensor y = forward(x);
        if (hooks != null) {
            for (ForwardHook h : hooks) {
                h.after(this, x, y);
            }
        }
        return y;
    }

    /**
     * Adds a hook run after every {@link #call(Tensor)} of this module; close the returned handle to
     * remove it.
     *
     * <pre>{@code
     * try (var h = model.addForwardHook((m, in, out) -> System.out.println(out.shape().length))) {
     *     model.call(x);
     * }
     * }</pre>
     */
    public final HookHandle addForwardHook(ForwardHook hook) {
        if (hooks == null) {
            hooks = new ArrayList<>();
        }
        hooks.add(hook);
        return () -> {
            if (hooks != null) {
                hooks.remove(hook);
                if (hooks.isEmpty()) {
                    hooks = null;
                }
            }
        };
    }

    /** Removes a hook when closed. */
    public interface HookHandle extends AutoCloseable {
        @Override
        void close();
    }

    // ------------------------------------------------------------------ registration

    /** Registers {@code t} as a trainable parameter (marks it {@code requiresGrad}); returns it. */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        if (!t.isFloat()) {
            throw new IllegalArgumentException("registerParameter: " + name + " is " + t.dtype() + ", expected float32");
        }
        parameters.put(name, t.requiresGrad(true));
        return t;
    }

    /** Registers {@code t} as a buffer: saved in the state dict, not trained (e.g. running_mean). */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers a submodule; its entries appear as {@code name.<entry>}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "', expected a non-empty name without dots");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    // ------------------------------------------------------------------ traversal

    /** Direct submodules by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module (name "") and every descendant with its dotted name, depth first, in order. */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        walk("", (prefix, m) -> out.put(prefix, m));
        return out;
    }

    private void walk(String prefix, BiConsumer<String, Module> visit) {
        visit.accept(prefix, this);
        for (var e : children.entrySet()) {
            e.getValue().walk(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), visit);
        }
    }

    /** Calls {@code fn} on every descendant, then on this module (PyTorch {@code apply}); returns this. */
    public final Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) {
            c.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /**
     * All parameters with dotted names, in registration order; a tensor shared by two modules (tied
     * weights) appears once, under its first name, as in PyTorch.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        walk("", (prefix, m) -> m.parameters.forEach((k, t) -> {
            if (seen.add(t)) {
                out.put(join(prefix, k), t);
            }
        }));
        return out;
    }

    /** All buffers with dotted names, in registration order. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        walk("", (prefix, m) -> m.buffers.forEach((k, t) -> out.put(join(prefix, k), t)));
        return out;
    }

    /** All parameters (the tensors the optimizer updates), in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** This module's own parameters (not its children's), by local name. */
    public final Map<String, Tensor> localParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and buffers by PyTorch name, each module's parameters before its buffers, then its
     * children. The tensors share storage with the model (no copy); they are cut from the tape.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        walk("", (prefix, m) -> {
            m.parameters.forEach((k, t) -> out.put(join(prefix, k), t.detach()));
            m.buffers.forEach((k, t) -> out.put(join(prefix, k), t.detach()));
        });
        return out;
    }

    /**
     * Copies values from {@code state} into this model's parameters and buffers, in place (optimizers
     * holding the parameters keep working). Every entry is checked before anything is copied, so a
     * failed load leaves the model unchanged. A shape mismatch is always an error; with {@code strict}
     * missing and unexpected keys are errors too, otherwise they are returned.
     *
     * <pre>{@code
     * fresh.loadStateDict(trained.stateDict(), true);
     * }</pre>
     *
     * @throws IllegalArgumentException e.g. {@code loadStateDict: layer1.0.conv1.weight: file has
     *     [64,3,3,3], model expects [64,64,3,3]}
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        LinkedHashMap<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.sameShape(e.getValue())) {
                throw new IllegalArgumentException("loadStateDict: " + e.getKey() + ": file has "
                        + Shapes.str(src.shape()) + ", model expects " + Shapes.str(e.getValue().shape()));
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            StringBuilder sb = new StringBuilder("loadStateDict: ");
            if (!missing.isEmpty()) {
                sb.append("missing keys ").append(missing);
            }
            if (!unexpected.isEmpty()) {
                sb.append(missing.isEmpty() ? "" : "; ").append("unexpected keys ").append(unexpected);
            }
            throw new IllegalArgumentException(sb.append(" (").append(getClass().getSimpleName())
                    .append(" has ").append(own.size()).append(" entries)").toString());
        }
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) {
                copyInto(e.getValue(), src);
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    /** Keys of a non-strict {@link #loadStateDict} that the model had but the map lacked, and the reverse. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    private static void copyInto(Tensor dst, Tensor src) {
        int n = dst.numel();
        Tensor s = src.contiguous();
        if (dst.isFloat()) {
            if (s.isFloat()) {
                System.arraycopy(s.data(), s.offset(), dst.data(), dst.offset(), n);
            } else {
                int[] si = s.intData();
                float[] d = dst.data();
                for (int i = 0; i < n; i++) {
                    d[dst.offset() + i] = si[s.offset() + i];
                }
            }
        } else if (s.isFloat()) {
            float[] sf = s.data();
            int[] d = dst.intData();
            for (int i = 0; i < n; i++) {
                d[dst.offset() + i] = Math.round(sf[s.offset() + i]);
            }
        } else {
            System.arraycopy(s.intData(), s.offset(), dst.intData(), dst.offset(), n);
        }
    }

    // ------------------------------------------------------------------ modes and counts

    /** Training mode for this module and all descendants (Dropout drops, BatchNorm uses batch statistics). */
    public final Module train() {
        return train(true);
    }

    /** Sets training mode recursively; returns this. */
    public final Module train(boolean on) {
        apply(m -> m.training = on);
        return this;
    }

    /** Evaluation mode recursively (same as {@code train(false)}); returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Sets this module's flag only, not its children's (restoring saved modes). */
    final void trainingFlag(boolean on) {
        training = on;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.numel();
        }
        return n;
    }

    /** Number of parameter elements that require grad. */
    public final long trainableParameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.requiresGrad() ? t.numel() : 0;
        }
        return n;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) {
            t.zeroGrad();
        }
    }

    // ------------------------------------------------------------------ description

    /**
     * The constructor arguments with PyTorch's names (e.g. {@code in_features}); {@link ModelSpec}
     * writes these as a layer's JSON fields and {@link #toString()} prints them. Empty by default.
     */
    public Map<String, Object> config() {
        return Map.of();
    }

    /** The layer type name used in specs and summaries: the class name. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** The zoo name this model was created from ({@code Zoo.create}), or null. */
    public final String zooName() {
        return zooName;
    }

    /** Records the zoo name (set by the zoo) so {@link ModelSpec#of} can describe the model; returns this. */
    public final Module zooName(String name) {
        this.zooName = name;
        return this;
    }

    /** The PyTorch-style nested repr: {@code Linear(in_features=784, out_features=10, bias=true)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        describe(sb, "");
        return sb.toString();
    }

    private void describe(StringBuilder sb, String indent) {
        sb.append(typeName()).append('(');
        StringBuilder args = new StringBuilder();
        config().forEach((k, v) -> args.append(args.isEmpty() ? "" : ", ").append(k).append('=').append(ModelSpec.str(v)));
        sb.append(args);
        if (!children.isEmpty()) {
            for (var e : children.entrySet()) {
                sb.append('\n').append(indent).append("  (").append(e.getKey()).append("): ");
                e.getValue().describe(sb, indent + "  ");
            }
            sb.append('\n').append(indent);
        }
        sb.append(')');
    }

    /** A table of every module: dotted name, type, own parameter count; then the totals. */
    public final String summary() {
        return Summary.table(this, null);
    }

    /**
     * The summary table with each module's output shape, from one evaluation-mode forward of zeros
     * shaped {@code [1, inputShape...]} (no tape; training flags are restored afterwards).
     *
     * <pre>{@code
     * System.out.print(Zoo.create("lenet5", new Rng(1)).summary(1, 28, 28));
     * }</pre>
     */
    public final String summary(int... inputShape) {
        return Summary.table(this, inputShape);
    }
}
