package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;
import java.util.Arrays;

/**
 * Random erasing (Zhong et al. 2020, torchvision's {@code RandomErasing}) and cutout (DeVries and
 * Taylor 2017): with probability {@code p}, sets a rectangle of every channel to {@code value}.
 *
 * <p>Erasing draws the rectangle's area as a fraction of the image uniform in
 * {@code [scaleMin, scaleMax]} and its aspect ratio h/w log-uniform in {@code [ratioMin, ratioMax]},
 * and places it uniformly where it fits; after 10 draws that do not fit it leaves the image as it is.
 * Cutout is a fixed {@code size x size} square whose centre is uniform over the image, clipped at
 * the borders (so it can cover less than {@code size^2} pixels).
 *
 * <pre>{@code
 * Transform erase = RandomErasing.erasing(0.5, 0.02, 0.33, 0.3, 3.3, 0f);   // torchvision's defaults
 * Transform cut = RandomErasing.cutout(1.0, 8, 0f);                          // an 8x8 hole
 * }</pre>
 */
public final class RandomErasing implements Transform {
    private final float p;
    private final float scaleMin;
    private final float scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final int size;          // > 0: cutout
    private final float value;

    private RandomErasing(float p, float scaleMin, float scaleMax, double ratioMin, double ratioMax, int size, float value) {
        this.p = p;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
        this.size = size;
        this.value = value;
    }

    /**
     * @param p        probability of erasing an image
     * @param scaleMin smallest erased area as a fraction of the image, in (0, 1]
     * @param scaleMax largest fraction, in [scaleMin, 1]
     * @param ratioMin smallest aspect ratio h/w, {@code > 0}
     * @param ratioMax largest aspect ratio, {@code >= ratioMin}
     * @param value    the erased pixels' value
     */
    public static RandomErasing erasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
            double value) {
        String op = "randomErasing";
        Check.range(op, "scale", scaleMin, scaleMax, Double.MIN_VALUE);
        if (scaleMax > 1) {
            throw new IllegalArgumentException(op + ": scale [" + scaleMin + ", " + scaleMax + "]: expected at most 1");
        }
        Check.range(op, "ratio", ratioMin, ratioMax, Double.MIN_VALUE);
        return new RandomErasing(Check.probability(op, "p", p), (float) scaleMin, (float) scaleMax, ratioMin, ratioMax,
                0, Check.finite(op, "value", value));
    }

    /** A {@code size x size} hole with probability {@code p}, centred uniformly, clipped at the borders. */
    public static RandomErasing cutout(double p, int size, double value) {
        String op = "cutout";
        return new RandomErasing(Check.probability(op, "p", p), 0, 0, 1, 1, Check.positive(op, "size", size),
                Check.finite(op, "value", value));
    }

    /** Throws unless a cutout hole fits a {@code height x width} image (erasing always fits). */
    void checkFits(int height, int width) {
        if (size > height || size > width) {
            throw new IllegalArgumentException("cutout: size " + size + " is larger than the image " + height + "x" + width
                    + ": expected at most " + Math.min(height, width));
        }
    }

    @Override
    public void apply(float[] x, int off, int[] shape, Rng rng) {
        int[] g = Check.image(size > 0 ? "cutout" : "randomErasing", shape);
        int h = g[1];
        int w = g[2];
        if (rng.nextFloat() >= p) {
            return;
        }
        if (size > 0) {
            checkFits(h, w);
            int cy = rng.nextInt(h);
            int cx = rng.nextInt(w);
            int y0 = Math.max(0, cy - size / 2);
            int x0 = Math.max(0, cx - size / 2);
            fill(x, off, g, y0, x0, Math.min(h, cy - size / 2 + size) - y0, Math.min(w, cx - size / 2 + size) - x0);
            return;
        }
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + rng.nextDouble() * (scaleMax - scaleMin));
            double ratio = Math.exp(logRatioMin + rng.nextDouble() * (logRatioMax - logRatioMin));
            int eh = (int) Math.round(Math.sqrt(target * ratio));
            int ew = (int) Math.round(Math.sqrt(target / ratio));
            if (eh >= 1 && ew >= 1 && eh < h && ew < w) {
                int y0 = rng.nextInt(h - eh + 1);
                int x0 = rng.nextInt(w - ew + 1);
                fill(x, off, g, y0, x0, eh, ew);
                return;
            }
        }
    }

    private void fill(float[] x, int off, int[] g, int y0, int x0, int eh, int ew) {
        int h = g[1];
        int w = g[2];
        for (int ch = 0; ch < g[0]; ch++) {
            for (int y = y0; y < y0 + eh; y++) {
                int o = off + (ch * h + y) * w + x0;
                Arrays.fill(x, o, o + ew, value);
            }
        }
    }

    @Override
    public String toString() {
        return size > 0 ? "cutout(p " + p + ", size " + size + ")"
                : "randomErasing(p " + p + ", scale " + scaleMin + ".." + scaleMax + ")";
    }
}
