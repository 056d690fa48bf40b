package dev.jumbo.optim;

import dev.jumbo.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share optimizer options (PyTorch's {@code param_groups} entries): a list of
 * parameter tensors and named numeric options ({@code lr}, {@code weight_decay}, {@code momentum},
 * {@code beta1}, ...; booleans as 0/1). Options a group does not set are filled in from the
 * optimizer's defaults when the optimizer is built.
 *
 * <p>Every value is stored rounded to float32, the precision the update kernels use, so that a
 * state dict (float32 scalars) restores a group exactly and training resumes bit-identically.
 *
 * <pre>{@code
 * Adam adam = new Adam(Adam.options().lr(1e-3),
 *         new ParamGroup(backbone).set("lr", 1e-4),   // fine-tune slowly
 *         new ParamGroup(head));                       // lr 1e-3 from the defaults
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();

    public ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** Sets an option (rounded to float32); returns {@code this}. */
    public ParamGroup set(String name, double value) {
        options.put(name, (double) (float) value);
        return this;
    }

    /** The value of an option; throws naming the option when the group does not have it. */
    public double get(String name) {
        Double v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("ParamGroup: no option '" + name + "': expected one of "
                    + options.keySet());
        }
        return v;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The learning rate. */
    public double lr() {
        return get("lr");
    }

    /** Sets the learning rate (what schedulers call). */
    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    public List<Tensor> params() {
        return params;
    }

    /** The options, read-only, in insertion order. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    void putDefault(String name, double value) {
        options.putIfAbsent(name, (double) (float) value);
    }

    @Override
    public String toString() {
        return "ParamGroup" + options + " with " + params.size() + " tensors";
    }
}
