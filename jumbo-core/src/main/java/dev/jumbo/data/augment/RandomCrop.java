package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;

/**
 * Random crop with padding: pads each {@code [C,H,W]} image by {@code padding} pixels on every side
 * ({@link PadMode#ZERO} or {@link PadMode#REFLECT}/{@link PadMode#EDGE}), picks a
 * {@code cropHeight x cropWidth} window uniformly inside the padded image and writes it back at
 * the image's size: copied exactly when the window has the image's size (the usual CIFAR/MNIST
 * augmentation, torchvision's {@code RandomCrop(28, padding=4)}), resized bilinearly otherwise. All
 * channels share the window.
 *
 * <pre>{@code
 * Transform t = new RandomCrop(28, 28, 4, PadMode.ZERO);   // shifts a 28x28 image by up to 4 pixels
 * }</pre>
 */
public final class RandomCrop implements Transform {
    private final int cropHeight;
    private final int cropWidth;
    private final int padding;
    private final PadMode mode;

    /**
     * @param cropHeight window height, at most {@code H + 2 padding}
     * @param cropWidth  window width, at most {@code W + 2 padding}
     * @param padding    pixels added on each side, {@code >= 0}
     * @param mode       what the padding reads as
     */
    public RandomCrop(int cropHeight, int cropWidth, int padding, PadMode mode) {
        this.cropHeight = Check.positive("randomCrop", "cropHeight", cropHeight);
        this.cropWidth = Check.positive("randomCrop", "cropWidth", cropWidth);
        this.padding = Check.nonNegative("randomCrop", "padding", padding);
        if (mode == null) {
            throw new IllegalArgumentException("randomCrop: mode null: expected ZERO, REFLECT or EDGE");
        }
        this.mode = mode;
    }

    /** Throws unless the window fits the padded {@code height x width} image. */
    void checkFits(int height, int width) {
        if (cropHeight > height + 2 * padding || cropWidth > width + 2 * padding) {
            throw new IllegalArgumentException("randomCrop: crop " + cropHeight + "x" + cropWidth
                    + " is larger than the padded image " + (height + 2 * padding) + "x" + (width + 2 * padding)
                    + " (" + height + "x" + width + ", padding " + padding + "): expected at most that size");
        }
    }

    @Override
    public void apply(float[] x, int off, int[] shape, Rng rng) {
        int[] g = Check.image("randomCrop", shape);
        int c = g[0];
        int h = g[1];
        int w = g[2];
        checkFits(h, w);
        int oy = rng.nextInt(h + 2 * padding - cropHeight + 1) - padding;   // window origin in image coordinates
        int ox = rng.nextInt(w + 2 * padding - cropWidth + 1) - padding;
        if (oy == 0 && ox == 0 && cropHeight == h && cropWidth == w) {
            return;
        }
        int plane = h * w;
        float[] src = Scratch.copy(x, off, c * plane);
        if (cropHeight == h && cropWidth == w) {
            shift(src, x, off, c, h, w, oy, ox);
        } else {
            float sy = (float) cropHeight / h;
            float sx = (float) cropWidth / w;
            for (int ch = 0; ch < c; ch++) {
                int base = ch * plane;
                for (int y = 0; y < h; y++) {
                    float fy = oy + (y + 0.5f) * sy - 0.5f;
                    int o = off + base + y * w;
                    for (int xx = 0; xx < w; xx++) {
                        x[o + xx] = Sampler.bilinear(src, base, h, w, fy, ox + (xx + 0.5f) * sx - 0.5f, mode, 0f);
                    }
                }
            }
        }
    }

    /** Exact-size window: out(y, x) = src(y + oy, x + ox), the inside of each row as one copy. */
    private void shift(float[] src, float[] x, int off, int c, int h, int w, int oy, int ox) {
        int inFrom = Math.min(w, Math.max(0, -ox));      // output columns [inFrom, inTo) read inside the row
        int inTo = Math.max(inFrom, Math.min(w, w - ox));
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                int o = off + base + y * w;
                int sy = mode.index(y + oy, h);
                if (sy < 0) {
                    java.util.Arrays.fill(x, o, o + w, 0f);
                    continue;
                }
                int row = base + sy * w;
                for (int xx = 0; xx < inFrom; xx++) {
                    int sx = mode.index(xx + ox, w);
                    x[o + xx] = sx < 0 ? 0f : src[row + sx];
                }
                if (inTo > inFrom) {
                    System.arraycopy(src, row + inFrom + ox, x, o + inFrom, inTo - inFrom);
                }
                for (int xx = inTo; xx < w; xx++) {
                    int sx = mode.index(xx + ox, w);
                    x[o + xx] = sx < 0 ? 0f : src[row + sx];
                }
            }
        }
    }

    @Override
    public String toString() {
        return "randomCrop(" + cropHeight + "x" + cropWidth + ", padding " + padding + ", " + mode + ")";
    }
}
