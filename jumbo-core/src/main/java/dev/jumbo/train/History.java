package dev.jumbo.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records every epoch's logs; {@link Trainer#fit} always adds one and returns it.
 *
 * <pre>{@code
 * History h = trainer.fit(model, train, val, 5);
 * h.get("val_accuracy");   // [0.81, 0.84, ...] one per epoch run in this fit
 * }</pre>
 */
public final class History implements Callback {
    private final List<Map<String, Double>> epochs = new ArrayList<>();

    @Override
    public void setContext(TrainContext context) {
        epochs.clear();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(new LinkedHashMap<>(logs));
    }

    /** The logs of each completed epoch of this fit, in order. */
    public List<Map<String, Double>> epochs() {
        return List.copyOf(epochs);
    }

    /** One metric per epoch (NaN where an epoch lacks it). */
    public List<Double> get(String key) {
        List<Double> out = new ArrayList<>();
        for (Map<String, Double> e : epochs) {
            out.add(e.getOrDefault(key, Double.NaN));
        }
        return out;
    }

    /** The last epoch's logs, or an empty map. */
    public Map<String, Double> last() {
        return epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1);
    }
}
