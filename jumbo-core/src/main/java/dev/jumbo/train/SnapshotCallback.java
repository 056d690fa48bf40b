package dev.jumbo.train;

import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a snapshot of the model's weights at the end of every cycle of {@code epochsPerCycle}
 * epochs (snapshot ensembles, Huang et al. 2017): a deep copy of the state dict, so training on
 * does not change it. {@link SnapshotEnsemble} turns the snapshots into ensemble members.
 *
 * <pre>{@code
 * SnapshotCallback snaps = new SnapshotCallback(5);
 * trainer.fit(model, train, null, 20, snaps);   // with a CyclicCosineLR of 5 epochs per cycle
 * snaps.snapshots().size();                     // 4
 * }</pre>
 */
public final class SnapshotCallback implements Callback {
    private final int epochsPerCycle;
    private final List<Map<String, Tensor>> snapshots = new ArrayList<>();
    private TrainContext ctx;

    public SnapshotCallback(int epochsPerCycle) {
        if (epochsPerCycle < 1) {
            throw new IllegalArgumentException("SnapshotCallback: epochsPerCycle " + epochsPerCycle + ": expected >= 1");
        }
        this.epochsPerCycle = epochsPerCycle;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if ((epoch + 1) % epochsPerCycle == 0) {
            Map<String, Tensor> copy = new LinkedHashMap<>();
            ctx.model().stateDict().forEach((k, t) -> copy.put(k, t.copy()));
            snapshots.add(copy);
        }
    }

    /** The snapshots taken so far, oldest first. */
    public List<Map<String, Tensor>> snapshots() {
        return List.copyOf(snapshots);
    }
}
