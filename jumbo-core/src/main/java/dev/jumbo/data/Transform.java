package dev.jumbo.data;

import dev.jumbo.tensor.Rng;
import java.util.Arrays;

/**
 * A per-example transform, applied in place by the {@link DataLoader}'s workers to each example
 * right after it is copied into its batch. Transforms keep the example's shape.
 *
 * <p>Random transforms (augmentation) draw only from the {@code rng} they are handed: the loader
 * seeds it from (loader seed, epoch, position in the epoch), never from the thread, so batches are
 * the same whatever the number of workers. Deterministic transforms ignore it.
 *
 * <pre>{@code
 * Transform t = Transform.scale(1f / 255).andThen(Transform.normalize(new float[] {0.2860f}, new float[] {0.3530f}));
 * DataLoader loader = DataLoader.builder(data).batchSize(64).transform(t).build();
 * }</pre>
 */
@FunctionalInterface
public interface Transform {

    /**
     * Transforms one example in place.
     *
     * @param x     the batch buffer
     * @param off   where the example starts in {@code x}
     * @param shape the example shape, e.g. {@code [C,H,W]} (do not modify)
     * @param rng   this example's random stream
     */
    void apply(float[] x, int off, int[] shape, Rng rng);

    /** This transform, then {@code next}. */
    default Transform andThen(Transform next) {
        return (x, off, shape, rng) -> {
            apply(x, off, shape, rng);
            next.apply(x, off, shape, rng);
        };
    }

    /** Leaves examples as they are. */
    static Transform identity() {
        return (x, off, shape, rng) -> {};
    }

    /** Multiplies every value by {@code factor}: {@code scale(1f / 255)} turns byte pixels into [0, 1]. */
    static Transform scale(float factor) {
        return (x, off, shape, rng) -> {
            int n = numel(shape);
            for (int i = off; i < off + n; i++) {
                x[i] *= factor;
            }
        };
    }

    /**
     * {@code (x - mean[c]) / std[c]} per channel {@code c} along the first axis of the example
     * shape; one mean and std apply to every channel.
     */
    static Transform normalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalize: " + mean.length + " means and " + std.length
                    + " stds: expected the same positive count");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalize: std " + Arrays.toString(std) + ": expected all > 0");
            }
        }
        float[] m = mean.clone();
        float[] inv = new float[std.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1f / std[i];
        }
        return (x, off, shape, rng) -> {
            int channels = shape.length == 0 ? 1 : shape[0];
            if (m.length != 1 && m.length != channels) {
                throw new IllegalArgumentException("normalize: " + m.length + " means for an example of shape "
                        + Arrays.toString(shape) + ": expected 1 or " + channels);
            }
            int plane = numel(shape) / channels;
            for (int c = 0; c < channels; c++) {
                float mc = m[m.length == 1 ? 0 : c];
                float ic = inv[m.length == 1 ? 0 : c];
                for (int i = off + c * plane, end = i + plane; i < end; i++) {
                    x[i] = (x[i] - mc) * ic;
                }
            }
        };
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
