package dev.jumbo.train;

import java.util.Map;

/**
 * Tracks the best value of one logged metric: mode {@code min}, {@code max} or {@code auto}
 * (max for names containing "acc" or "f1", else min, as Keras); an improvement must beat the best
 * by more than {@code minDelta}. NaN never improves.
 */
final class Monitor {
    final String key;
    final boolean max;
    final double minDelta;
    double best;

    Monitor(String owner, String key, String mode, double minDelta) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(owner + ": monitor '" + key + "': expected a log key such as val_loss");
        }
        this.key = key;
        this.max = switch (mode) {
            case "max" -> true;
            case "min" -> false;
            case "auto" -> key.contains("acc") || key.contains("f1");
            default -> throw new IllegalArgumentException(owner + ": mode '" + mode + "': expected min, max or auto");
        };
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException(owner + ": minDelta " + minDelta + ": expected >= 0");
        }
        this.minDelta = minDelta;
        reset();
    }

    void reset() {
        best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** The monitored value in {@code logs}, or throws naming the keys that are there. */
    double value(String owner, Map<String, Double> logs) {
        Double v = logs.get(key);
        if (v == null) {
            throw new IllegalStateException(owner + ": monitor '" + key + "' is not in the epoch logs " + logs.keySet()
                    + " (val_* keys need a validation loader)");
        }
        return v;
    }

    boolean improves(double v) {
        return max ? v - minDelta > best : v + minDelta < best;
    }

    void save(String prefix, Map<String, String> state) {
        state.put(prefix + "best", Double.toString(best));
    }

    void load(String prefix, Map<String, String> state) {
        String v = state.get(prefix + "best");
        if (v != null) {
            best = Double.parseDouble(v);
        }
    }
}
