package dev.jumbo.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Default options of an optimizer, by PyTorch name; each optimizer's {@code Options} adds typed
 * setters ({@code lr(...)}, {@code weightDecay(...)}). Values are validated when the optimizer is
 * built, against every parameter group.
 *
 * @param <T> the concrete options type, for fluent setters
 */
public abstract class OptimizerOptions<T extends OptimizerOptions<T>> {
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Sets an option by its PyTorch name (booleans as 0/1). */
    @SuppressWarnings("unchecked")
    public T set(String name, double value) {
        values.put(name, value);
        return (T) this;
    }

    public T lr(double lr) {
        return set("lr", lr);
    }

    public T weightDecay(double wd) {
        return set("weight_decay", wd);
    }

    /** A copy of the values. */
    public Map<String, Double> values() {
        return new LinkedHashMap<>(values);
    }
}
