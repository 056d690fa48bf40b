package dev.jumbo.data.augment;

/** Bilinear sampling of one image plane at fractional pixel coordinates, shared by crop-resize and affine. */
final class Sampler {
    private Sampler() {}

    /**
     * The value at {@code (y, x)} (pixel centres at integers) of the {@code h x w} plane at
     * {@code src[off]}: the four neighbours weighted bilinearly, neighbours outside read through
     * {@code mode} ({@code fill} for {@link PadMode#ZERO}).
     */
    static float bilinear(float[] src, int off, int h, int w, float y, float x, PadMode mode, float fill) {
        float fy = (float) Math.floor(y);
        float fx = (float) Math.floor(x);
        int y0 = (int) fy;
        int x0 = (int) fx;
        float wy = y - fy;
        float wx = x - fx;
        if (y0 >= 0 && x0 >= 0 && y0 + 1 < h && x0 + 1 < w) {     // the common case: all four inside
            int p = off + y0 * w + x0;
            float top = src[p] + wx * (src[p + 1] - src[p]);
            float bottom = src[p + w] + wx * (src[p + w + 1] - src[p + w]);
            return top + wy * (bottom - top);
        }
        float a = tap(src, off, h, w, y0, x0, mode, fill);
        float b = tap(src, off, h, w, y0, x0 + 1, mode, fill);
        float c = tap(src, off, h, w, y0 + 1, x0, mode, fill);
        float d = tap(src, off, h, w, y0 + 1, x0 + 1, mode, fill);
        float top = a + wx * (b - a);
        float bottom = c + wx * (d - c);
        return top + wy * (bottom - top);
    }

    private static float tap(float[] src, int off, int h, int w, int y, int x, PadMode mode, float fill) {
        int iy = mode.index(y, h);
        int ix = mode.index(x, w);
        return iy < 0 || ix < 0 ? fill : src[off + iy * w + ix];
    }
}
