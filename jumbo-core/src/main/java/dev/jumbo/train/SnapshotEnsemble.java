package dev.jumbo.train;

import dev.jumbo.data.DataLoader;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.optim.CyclicCosineLR;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Snapshot ensembles (Huang et al. 2017, "Train 1, get M for free"): one training run of
 * {@code cycles × epochsPerCycle} epochs under a {@link CyclicCosineLR} stepped per batch (the lr
 * restarts at the base lr at the start of each cycle and anneals to {@code etaMin}), a
 * {@link SnapshotCallback} copying the weights at the end of each cycle, and the snapshots
 * combined by soft voting (the paper averages the softmax outputs).
 *
 * <pre>{@code
 * Module net = Zoo.create("lenet5", new Rng(1));
 * SnapshotEnsemble.Result r = SnapshotEnsemble.builder()
 *         .cycles(5).epochsPerCycle(2).etaMin(0)
 *         .optimizer(m -> new SGD(SGD.options().lr(0.1).momentum(0.9), m.parameters()))
 *         .seed(1)
 *         .train(net, trainLoader, valLoader);
 * r.ensemble();   // 5 members, soft voting; Model.save(...) like any model
 * r.history();    // the single run's curves
 * }</pre>
 */
public final class SnapshotEnsemble {
    private int cycles = 5;
    private int epochsPerCycle = 1;
    private double etaMin;
    private Function<Module, Optimizer> optimizer;
    private long seed;
    private Trainer.Builder trainer = Trainer.builder();

    private SnapshotEnsemble() {}

    /** The ensemble of the snapshots and the training run's history. */
    public record Result(Ensemble ensemble, History history) {}

    public static SnapshotEnsemble builder() {
        return new SnapshotEnsemble();
    }

    /** Number of cycles = number of members (5 by default). */
    public SnapshotEnsemble cycles(int c) {
        if (c < 1) {
            throw new IllegalArgumentException("SnapshotEnsemble: cycles " + c + ": expected >= 1");
        }
        this.cycles = c;
        return this;
    }

    /** Epochs in each cycle (1 by default). */
    public SnapshotEnsemble epochsPerCycle(int e) {
        if (e < 1) {
            throw new IllegalArgumentException("SnapshotEnsemble: epochsPerCycle " + e + ": expected >= 1");
        }
        this.epochsPerCycle = e;
        return this;
    }

    /** The lr at the end of each cycle (0 by default). */
    public SnapshotEnsemble etaMin(double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("SnapshotEnsemble: etaMin " + v + ": expected >= 0");
        }
        this.etaMin = v;
        return this;
    }

    /** The optimizer for the model's parameters; its lr is the lr at the start of every cycle. */
    public SnapshotEnsemble optimizer(Function<Module, Optimizer> o) {
        this.optimizer = o;
        return this;
    }

    /**
     * Other trainer settings (loss, regularizer, clipping...); its optimizer and scheduler are
     * replaced by this one's.
     */
    public SnapshotEnsemble trainer(Trainer.Builder b) {
        this.trainer = b;
        return this;
    }

    public SnapshotEnsemble seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Trains {@code model} (a zoo model or a Sequential of spec layers, so snapshots can be rebuilt
     * from its spec) and returns the ensemble of its {@code cycles} snapshots.
     */
    public Result train(Module model, DataLoader train, DataLoader val, Callback... callbacks) {
        if (optimizer == null) {
            throw new IllegalArgumentException("SnapshotEnsemble: no optimizer: call optimizer(m -> ...)");
        }
        ModelSpec spec = ModelSpec.of(model); // fails before training for a model that could not be rebuilt
        Optimizer opt = optimizer.apply(model);
        CyclicCosineLR sched = new CyclicCosineLR(opt, epochsPerCycle * train.batchesPerEpoch(), etaMin);
        Trainer t = trainer.optimizer(opt).scheduler(sched, true).seed(seed).build();
        SnapshotCallback snaps = new SnapshotCallback(epochsPerCycle);
        Callback[] all = Arrays.copyOf(callbacks, callbacks.length + 1);
        all[callbacks.length] = snaps;
        History h = t.fit(model, train, val, cycles * epochsPerCycle, all);
        return new Result(fromSnapshots(spec, snaps.snapshots(), train.dataset().exampleShape()), h);
    }

    /** A soft-voting ensemble with one member per snapshot, each rebuilt from {@code spec}. */
    public static Ensemble fromSnapshots(ModelSpec spec, List<Map<String, Tensor>> snapshots, int[] inputShape) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("SnapshotEnsemble: no snapshots: expected training to complete a cycle");
        }
        List<Module> members = new ArrayList<>();
        for (Map<String, Tensor> s : snapshots) {
            Module m = spec.build(new Rng(0));
            m.loadStateDict(s, true);
            m.eval();
            members.add(m);
        }
        Ensemble e = new Ensemble(Ensemble.Combiner.SOFT, members, inputShape);
        e.eval();
        return e;
    }
}
