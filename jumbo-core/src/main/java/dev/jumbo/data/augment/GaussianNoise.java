package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;

/**
 * Adds independent Gaussian noise {@code N(0, std^2)} to every value of the example, with
 * probability {@code p} (for noise at a signal-to-noise ratio, see {@link SequenceAugment#noiseAtSnr}).
 *
 * <pre>{@code
 * Transform t = new GaussianNoise(0.05, 1.0);   // pixels in [0, 1], noise std 0.05
 * }</pre>
 */
public final class GaussianNoise implements Transform {
    private final float std;
    private final float p;

    public GaussianNoise(double std, double p) {
        this.std = Check.nonNegative("gaussianNoise", "std", std);
        this.p = Check.probability("gaussianNoise", "p", p);
    }

    @Override
    public void apply(float[] x, int off, int[] shape, Rng rng) {
        if (rng.nextFloat() >= p) {
            return;
        }
        addNoise(x, off, Check.numel(shape), std, rng);
    }

    /** Adds {@code std * N(0, 1)} to {@code x[off, off+n)}: two normals per Box-Muller pair. */
    static void addNoise(float[] x, int off, int n, double std, Rng rng) {
        for (int i = 0; i < n; i += 2) {
            double r = std * Math.sqrt(-2 * Math.log(1.0 - rng.nextDouble()));
            double a = 2 * Math.PI * rng.nextDouble();
            x[off + i] += (float) (r * Math.cos(a));
            if (i + 1 < n) {
                x[off + i + 1] += (float) (r * Math.sin(a));
            }
        }
    }

    @Override
    public String toString() {
        return "gaussianNoise(std " + std + ", p " + p + ")";
    }
}
