package dev.jumbo.train.experiment;

/**
 * The knobs of a {@link GeneralizationExperiment}. Every variant trains with the same recipe
 * (AdamW, cosine learning rate to 0, batch {@code batch}, {@code epochs} epochs) and differs only in
 * what the variant adds.
 *
 * @param model          zoo model name, e.g. {@code lenet5}
 * @param trainSize      training examples drawn (stratified, per seed) from the training set; 0:
 *                       all of it
 * @param seeds          seeds per variant (1, 2, ...); mean and std are taken over them
 * @param epochs         epochs per model (a snapshot ensemble spends the same epochs in all)
 * @param batch          batch size
 * @param lr             peak learning rate
 * @param members        members of the independent ensemble
 * @param snapshotCycles cycles (= members) of the snapshot ensemble
 * @param workers        data loader threads
 */
public record GeneralizationSettings(String model, int trainSize, int seeds, int epochs, int batch, double lr,
        int members, int snapshotCycles, int workers) {

    public GeneralizationSettings {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("generalization: model '" + model + "': expected a zoo model name");
        }
        if (trainSize < 0) {
            throw new IllegalArgumentException("generalization: train size " + trainSize
                    + ": expected a positive number of examples, or 0 for the whole training set");
        }
        positive("seeds", seeds);
        positive("epochs", epochs);
        positive("batch", batch);
        positive("members", members);
        positive("snapshot cycles", snapshotCycles);
        if (workers < 0) {
            throw new IllegalArgumentException("generalization: workers " + workers + ": expected >= 0");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("generalization: lr " + lr + ": expected a positive number");
        }
    }

    /** The defaults of {@code jumbo experiment generalization} for {@code model}: all data, 2 seeds, 10 epochs. */
    public static GeneralizationSettings defaults(String model) {
        return new GeneralizationSettings(model, 0, 2, 10, 64, 2e-3, 5, 5, 1);
    }

    public GeneralizationSettings withTrainSize(int n) {
        return new GeneralizationSettings(model, n, seeds, epochs, batch, lr, members, snapshotCycles, workers);
    }

    public GeneralizationSettings withSeeds(int n) {
        return new GeneralizationSettings(model, trainSize, n, epochs, batch, lr, members, snapshotCycles, workers);
    }

    public GeneralizationSettings withEpochs(int n) {
        return new GeneralizationSettings(model, trainSize, seeds, n, batch, lr, members, snapshotCycles, workers);
    }

    public GeneralizationSettings withBatch(int n) {
        return new GeneralizationSettings(model, trainSize, seeds, epochs, n, lr, members, snapshotCycles, workers);
    }

    public GeneralizationSettings withLr(double v) {
        return new GeneralizationSettings(model, trainSize, seeds, epochs, batch, v, members, snapshotCycles, workers);
    }

    public GeneralizationSettings withWorkers(int n) {
        return new GeneralizationSettings(model, trainSize, seeds, epochs, batch, lr, members, snapshotCycles, n);
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("generalization: " + what + " " + v + ": expected at least 1");
        }
    }
}
