package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;

/**
 * Random rotation, translation, scale and shear about the image centre, sampled bilinearly, with
 * pixels from outside the image set to {@code fill} (torchvision's {@code RandomAffine}). Each call
 * draws an angle uniform in {@code [-degrees, degrees]}, a shift uniform in
 * {@code [-translateX W, translateX W] x [-translateY H, translateY H]}, a scale uniform in
 * {@code [scaleMin, scaleMax]} and an x-shear angle uniform in {@code [-shear, shear]} degrees; the
 * output pixel {@code p} reads the input at {@code c + A^-1 (p - c - t)} with
 * {@code A = scale * R(angle) * [[1, tan shear], [0, 1]]}, positive angles turning the content
 * counter-clockwise as displayed (as torchvision).
 *
 * <pre>{@code
 * Transform rotate = RandomAffine.rotation(15, 0f);                        // up to 15 degrees either way
 * Transform affine = new RandomAffine(10, 0.1, 0.1, 0.9, 1.1, 5, 0f);     // all four at once
 * }</pre>
 */
public final class RandomAffine implements Transform {
    private final float degrees;
    private final float translateX;
    private final float translateY;
    private final float scaleMin;
    private final float scaleMax;
    private final float shear;
    private final float fill;

    /**
     * @param degrees    largest rotation either way, in [0, 180]
     * @param translateX largest horizontal shift as a fraction of the width, in [0, 1]
     * @param translateY largest vertical shift as a fraction of the height, in [0, 1]
     * @param scaleMin   smallest zoom factor, {@code > 0}
     * @param scaleMax   largest zoom factor, {@code >= scaleMin}
     * @param shear      largest x-shear angle either way, in [0, 90) degrees
     * @param fill       the value of pixels mapped from outside the image
     */
    public RandomAffine(double degrees, double translateX, double translateY, double scaleMin, double scaleMax,
            double shear, double fill) {
        String op = "randomAffine";
        this.degrees = Check.nonNegative(op, "degrees", degrees);
        if (degrees > 180) {
            throw new IllegalArgumentException(op + ": degrees " + degrees + ": expected at most 180");
        }
        this.translateX = Check.probability(op, "translateX", translateX);
        this.translateY = Check.probability(op, "translateY", translateY);
        Check.range(op, "scale", scaleMin, scaleMax, Double.MIN_VALUE);
        this.scaleMin = (float) scaleMin;
        this.scaleMax = (float) scaleMax;
        this.shear = Check.nonNegative(op, "shear", shear);
        if (shear >= 90) {
            throw new IllegalArgumentException(op + ": shear " + shear + ": expected less than 90 degrees");
        }
        this.fill = Check.finite(op, "fill", fill);
    }

    /** Rotation alone, uniform in {@code [-degrees, degrees]} (torchvision's {@code RandomRotation}). */
    public static RandomAffine rotation(double degrees, double fill) {
        return new RandomAffine(degrees, 0, 0, 1, 1, 0, fill);
    }

    @Override
    public void apply(float[] x, int off, int[] shape, Rng rng) {
        int[] g = Check.image("randomAffine", shape);
        double angle = (2 * rng.nextDouble() - 1) * degrees;
        double tx = (2 * rng.nextDouble() - 1) * translateX * g[2];
        double ty = (2 * rng.nextDouble() - 1) * translateY * g[1];
        double s = scaleMin + rng.nextDouble() * (scaleMax - scaleMin);
        double sh = (2 * rng.nextDouble() - 1) * shear;
        warp(x, off, g, angle, tx, ty, s, sh, fill);
    }

    /**
     * The affine warp itself: turns the content of the {@code g = {C,H,W}} image at {@code x[off]}
     * by {@code degrees} counter-clockwise as displayed (y pointing down, as torchvision), shears
     * it by {@code shearDegrees} along x, zooms by {@code scale} and shifts it by (tx, ty) pixels.
     */
    static void warp(float[] x, int off, int[] g, double degrees, double tx, double ty, double scale,
            double shearDegrees, float fill) {
        int c = g[0];
        int h = g[1];
        int w = g[2];
        double angle = Math.toRadians(degrees);
        double sh = Math.tan(Math.toRadians(shearDegrees));
        // A = s * R * Sh with R = [[cos, sin], [-sin, cos]] (counter-clockwise on screen, y down), Sh = [[1, sh], [0, 1]]
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double a = scale * cos;
        double b = scale * (cos * sh + sin);
        double cc = -scale * sin;
        double d = scale * (cos - sin * sh);
        double det = a * d - b * cc;
        // the inverse maps an output pixel's offset from the shifted centre to the input offset
        float ia = (float) (d / det);
        float ib = (float) (-b / det);
        float ic = (float) (-cc / det);
        float id = (float) (a / det);
        float cx = (w - 1) / 2f;
        float cy = (h - 1) / 2f;
        int plane = h * w;
        float[] src = Scratch.copy(x, off, c * plane);
        for (int ch = 0; ch < c; ch++) {
            int base = ch * plane;
            for (int y = 0; y < h; y++) {
                float dy = (float) (y - cy - ty);
                int o = off + base + y * w;
                for (int xx = 0; xx < w; xx++) {
                    float dx = (float) (xx - cx - tx);
                    float sx = cx + ia * dx + ib * dy;
                    float sy = cy + ic * dx + id * dy;
                    x[o + xx] = Sampler.bilinear(src, base, h, w, sy, sx, PadMode.ZERO, fill);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "randomAffine(degrees " + degrees + ", translate " + translateX + "/" + translateY + ", scale " + scaleMin
                + ".." + scaleMax + ", shear " + shear + ", fill " + fill + ")";
    }
}
