package dev.jumbo.optim;

/**
 * Cyclic cosine annealing with warm restarts at a fixed period, the schedule of snapshot ensembles
 * (Huang et al. 2017, eq. 2): within each cycle of {@code cycleLength} steps the lr falls from the
 * base lr to {@code etaMin} along a half cosine, then restarts:
 * {@code lr(t) = etaMin + (base - etaMin) * (1 + cos(pi * (t mod L) / L)) / 2}. Step it per batch
 * (the paper's form) or per epoch, with L counted in the same unit.
 *
 * <pre>{@code
 * int perCycle = 5 * loader.batchesPerEpoch();          // 5 epochs per cycle
 * var sched = new CyclicCosineLR(opt, perCycle, 0.0);
 * Trainer t = Trainer.builder().optimizer(opt).scheduler(sched, true).build();
 * }</pre>
 */
public final class CyclicCosineLR extends EpochLrScheduler {
    private final int cycleLength;
    private final double etaMin;

    public CyclicCosineLR(Optimizer optimizer, int cycleLength, double etaMin) {
        super("CyclicCosineLR", optimizer);
        positive("CyclicCosineLR", "cycleLength", cycleLength);
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("CyclicCosineLR: etaMin = " + etaMin + ": expected >= 0");
        }
        this.cycleLength = cycleLength;
        this.etaMin = etaMin;
        start();
    }

    public int cycleLength() {
        return cycleLength;
    }

    @Override
    protected double lrAt(int group, int step) {
        int t = step % cycleLength;
        return etaMin + (baseLrs[group] - etaMin) * (1 + Math.cos(Math.PI * t / cycleLength)) / 2;
    }
}
