package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;

/**
 * Mirrors a {@code [C,H,W]} image left-right with probability {@code p} (torchvision's
 * {@code RandomHorizontalFlip}), in place.
 *
 * <pre>{@code
 * Transform t = new HorizontalFlip(0.5f);
 * }</pre>
 */
public final class HorizontalFlip implements Transform {
    private final float p;

    public HorizontalFlip(double p) {
        this.p = Check.probability("hflip", "p", p);
    }

    @Override
    public void apply(float[] x, int off, int[] shape, Rng rng) {
        int[] g = Check.image("hflip", shape);
        if (rng.nextFloat() >= p) {
            return;
        }
        int w = g[2];
        for (int row = 0, rows = g[0] * g[1]; row < rows; row++) {
            for (int i = off + row * w, j = i + w - 1; i < j; i++, j--) {
                float t = x[i];
                x[i] = x[j];
                x[j] = t;
            }
        }
    }

    @Override
    public String toString() {
        return "hflip(p " + p + ")";
    }
}
