package dev.jumbo.data;

import dev.jumbo.tensor.Rng;

/**
 * A transform of a whole batch, such as mixup or cutmix ({@code dev.jumbo.data.augment.MixUp},
 * {@code CutMix}), run by the {@link DataLoader}'s workers after the per-example
 * {@link Transform}s. It may change the inputs in place and return a batch with soft targets.
 *
 * <p>It draws only from {@code rng}, which the loader seeds from (loader seed, epoch, batch index),
 * so batches stay the same for any number of workers.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(1)
 *         .batchTransform(new MixUp(0.2, 10)).build();   // batches carry targets [64, 10]
 * }</pre>
 */
@FunctionalInterface
public interface BatchTransform {

    /** The transformed batch ({@code batch} itself or a new one sharing or replacing its tensors). */
    Batch apply(Batch batch, Rng rng);
}
