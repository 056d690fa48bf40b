package dev.jumbo.train;

import dev.jumbo.data.Dataset;
import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Rng;

/**
 * What {@link Ensembles} needs to train members: how to create a fresh member and how to fit one
 * on a dataset. Both take a generator derived from the ensemble's seed and the member's index, so
 * a seed fixes every member.
 *
 * <pre>{@code
 * EnsembleRecipe recipe = EnsembleRecipe.of(
 *         (i, rng) -> Zoo.create("lenet5", rng),
 *         (model, data, rng) -> {
 *             try (DataLoader dl = DataLoader.builder(data).batchSize(64).shuffle(true).seed(rng.nextLong()).build()) {
 *                 Trainer.builder().optimizer(new AdamW(AdamW.options().lr(1e-3), model.parameters()))
 *                         .build().fit(model, dl, null, 3);
 *             }
 *         });
 * }</pre>
 */
public interface EnsembleRecipe {
    /** A freshly initialized member number {@code index}. */
    Module create(int index, Rng rng);

    /** Trains {@code model} on {@code data} (called once per member and, for stacking, per fold). */
    void fit(Module model, Dataset data, Rng rng);

    /** Creates a member. */
    @FunctionalInterface
    interface Factory {
        Module create(int index, Rng rng);
    }

    /** Fits a member. */
    @FunctionalInterface
    interface Fit {
        void fit(Module model, Dataset data, Rng rng);
    }

    /** A recipe from a factory and a fit. */
    static EnsembleRecipe of(Factory factory, Fit fit) {
        return new EnsembleRecipe() {
            @Override
            public Module create(int index, Rng rng) {
                return factory.create(index, rng);
            }

            @Override
            public void fit(Module model, Dataset data, Rng rng) {
                fit.fit(model, data, rng);
            }
        };
    }
}
