package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;

/**
 * Brightness and contrast jitter (torchvision's {@code ColorJitter(brightness, contrast)}): the
 * image is multiplied by a brightness factor uniform in {@code [max(0, 1-brightness), 1+brightness]},
 * then blended with its mean by a contrast factor uniform in {@code [max(0, 1-contrast), 1+contrast]}
 * ({@code x = mean + c (x - mean)}, the mean over all channels and pixels). Unlike torchvision the
 * result is not clamped, so it works on any value range (raw, [0, 1] or normalized).
 *
 * <pre>{@code
 * Transform t = new ColorJitter(0.2, 0.2);
 * }</pre>
 */
public final class ColorJitter implements Transform {
    private final float brightness;
    private final float contrast;

    public ColorJitter(double brightness, double contrast) {
        this.brightness = Check.nonNegative("colorJitter", "brightness", brightness);
        this.contrast = Check.nonNegative("colorJitter", "contrast", contrast);
    }

    @Override
    public void apply(float[] x, int off, int[] shape, Rng rng) {
        int n = Check.numel(shape);
        float b = factor(brightness, rng);
        float c = factor(contrast, rng);
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            x[i] *= b;
            sum += x[i];
        }
        if (contrast > 0) {
            float mean = (float) (sum / n);
            for (int i = off; i < off + n; i++) {
                x[i] = mean + c * (x[i] - mean);
            }
        }
    }

    private static float factor(float amount, Rng rng) {
        float lo = Math.max(0f, 1f - amount);
        return lo + rng.nextFloat() * (1f + amount - lo);
    }

    @Override
    public String toString() {
        return "colorJitter(brightness " + brightness + ", contrast " + contrast + ")";
    }
}
