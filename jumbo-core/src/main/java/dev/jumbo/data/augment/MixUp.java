package dev.jumbo.data.augment;

import dev.jumbo.data.Batch;
import dev.jumbo.data.BatchTransform;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * Mixup (Zhang et al. 2018): one {@code lambda ~ Beta(alpha, alpha)} per batch and a random partner
 * {@code perm[i]} per row; inputs become {@code lambda x[i] + (1 - lambda) x[perm[i]]} and targets
 * {@code lambda y[i] + (1 - lambda) y[perm[i]]} (one-hot labels, or the batch's soft targets), so
 * the batch carries soft {@code targets [B, classes]} for {@link dev.jumbo.nn.Losses#crossEntropy}
 * and labels that are their argmax. Use it with {@code DataLoader.Builder.batchTransform}.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(data).batchSize(64).shuffle(true).seed(1)
 *         .batchTransform(new MixUp(0.2, 10)).build();
 * }</pre>
 */
public final class MixUp implements BatchTransform {
    private final float alpha;
    private final int classes;

    /**
     * @param alpha      the Beta distribution's parameter, {@code > 0} (0.2-0.4 in the paper)
     * @param numClasses the number of classes of the soft targets
     */
    public MixUp(double alpha, int numClasses) {
        this.alpha = Mixing.alpha("mixup", alpha);
        this.classes = Mixing.classes("mixup", numClasses);
    }

    @Override
    public Batch apply(Batch batch, Rng rng) {
        double lambda = Mixing.beta(rng, alpha);
        int n = batch.size();
        int[] perm = Mixing.permutation(rng, n);
        float[] t = Mixing.targets("mixup", batch, classes);
        Tensor in = batch.inputs().contiguous();
        float[] x = in.data();
        int off = in.offset();
        int per = in.numel() / n;
        float[] src = Scratch.copy(x, off, n * per);
        float l = (float) lambda;
        for (int i = 0; i < n; i++) {
            int a = i * per;
            int b = perm[i] * per;
            for (int k = 0; k < per; k++) {
                x[off + a + k] = l * src[a + k] + (1 - l) * src[b + k];
            }
        }
        return Mixing.mixed(in, t, perm, lambda, classes);
    }

    @Override
    public String toString() {
        return "mixup(alpha " + alpha + ")";
    }
}
