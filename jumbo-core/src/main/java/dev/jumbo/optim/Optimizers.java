package dev.jumbo.optim;

import dev.jumbo.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Builds an optimizer from its name and PyTorch-named options, for command lines and model specs
 * ({@code jumbo train --optimizer adamw --lr 1e-3}).
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.create("adamw", params, Map.of("lr", 1e-3, "weight_decay", 0.05));
 * }</pre>
 */
public final class Optimizers {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop");

    private Optimizers() {}

    /**
     * An optimizer named {@code name} (case-insensitive) over {@code params}; options not given keep
     * PyTorch's defaults; an option the optimizer does not know is an error naming it.
     */
    public static Optimizer create(String name, List<Tensor> params, Map<String, Double> options) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        OptimizerOptions<?> o = switch (n) {
            case "sgd" -> SGD.options();
            case "adam" -> Adam.options();
            case "adamw" -> AdamW.options();
            case "rmsprop" -> RMSprop.options();
            default -> throw new IllegalArgumentException("optimizer '" + name + "': expected one of " + NAMES);
        };
        Map<String, Double> known = o.values();
        for (var e : options.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                throw new IllegalArgumentException("optimizer " + n + ": unknown option '" + e.getKey()
                        + "': expected one of " + known.keySet());
            }
            o.set(e.getKey(), e.getValue());
        }
        return switch (n) {
            case "sgd" -> new SGD((SGD.Options) o, params);
            case "adam" -> new Adam((Adam.Options) o, params);
            case "adamw" -> new AdamW((Adam.Options) o, params);
            default -> new RMSprop((RMSprop.Options) o, params);
        };
    }
}
