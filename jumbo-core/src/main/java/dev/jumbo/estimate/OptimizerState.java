package dev.jumbo.estimate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Optimizer state per parameter, in parameter-sized buffers: plain SGD keeps none, SGD with
 * momentum one (the velocity), Adam and AdamW two (first and second moments), RMSprop one (the
 * squared-gradient average) and two when centered or with momentum (PyTorch's buffers).
 *
 * <pre>{@code
 * OptimizerState.parse("adamw").buffers();   // 2
 * }</pre>
 */
public enum OptimizerState {
    SGD("sgd", 0),
    MOMENTUM("momentum", 1),
    ADAM("adam", 2),
    ADAMW("adamw", 2),
    RMSPROP("rmsprop", 1),
    RMSPROP_CENTERED("rmsprop-centered", 2);

    private final String label;
    private final int buffers;

    OptimizerState(String label, int buffers) {
        this.label = label;
        this.buffers = buffers;
    }

    public String label() {
        return label;
    }

    /** Parameter-sized state buffers. */
    public int buffers() {
        return buffers;
    }

    /** Parses {@code sgd, momentum, adam, adamw, rmsprop, rmsprop-centered} (case-insensitive). */
    public static OptimizerState parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(o -> o.label.equals(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("optimizer: '" + s + "': expected one of "
                        + Arrays.stream(values()).map(OptimizerState::label).collect(Collectors.joining(", "))));
    }
}
