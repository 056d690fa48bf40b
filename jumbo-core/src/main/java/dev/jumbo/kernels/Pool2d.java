package dev.jumbo.kernels;

/**
 * 2-d pooling over planes of [h, w] floats (an NCHW tensor is n*c planes): max pooling with argmax
 * indices, average pooling (padding counted in the divisor, like PyTorch's default
 * {@code count_include_pad=True}; floor output size) and adaptive average pooling. Planes are
 * independent, so they are spread over the pool; every output is computed in one fixed order.
 *
 * <pre>{@code
 * Pool2d.maxForward(planes, 28, 28, 2, 2, 2, 2, 0, 0, x, 0, y, 0, argmax); // 2x2 max pool -> 14x14
 * }</pre>
 */
public final class Pool2d {
    private Pool2d() {}

    /** Output size of a pooling window: floor((in + 2*pad - k) / stride) + 1. */
    public static int outSize(int in, int k, int stride, int pad) {
        return Math.floorDiv(in + 2 * pad - k, stride) + 1;
    }

    /**
     * y = max over each window; {@code argmax} (same size as y) gets the winning index within its
     * plane ({@code iy * w + ix}); the first maximum wins on ties. Padding never wins.
     */
    public static void maxForward(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                  float[] x, int xOff, float[] y, int yOff, int[] argmax) {
        int oh = outSize(h, kh, sh, ph);
        int ow = outSize(w, kw, sw, pw);
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
            Parallel.forRange(0, planes, 16, (from, to) -> max2x2(from, to, h, w, oh, ow, x, xOff, y, yOff, argmax));
            return;
        }
        Parallel.forRange(0, planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = xOff + p * h * w;
                int ob = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = Math.max(0, oy * sh - ph);
                    int y1 = Math.min(h, oy * sh - ph + kh);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = Math.max(0, ox * sw - pw);
                        int x1 = Math.min(w, ox * sw - pw + kw);
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = y0 * w + x0;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                float v = x[xb + iy * w + ix];
                                if (v > best || Float.isNaN(v)) {
                                    best = v;
                                    bi = iy * w + ix;
                                    if (Float.isNaN(v)) {
                                        iy = y1;
                                        break;
                                    }
                                }
                            }
                        }
                        y[yOff + ob + oy * ow + ox] = best;
                        argmax[ob + oy * ow + ox] = bi;
                    }
                }
            }
        });
    }

    /**
     * The common 2x2, stride 2, unpadded window without the general loop's bounds and NaN checks
     * per element (LeNet's pools spent 13% of a training step in that loop); a window whose sum is
     * NaN (a NaN, or +inf with -inf) takes the exact general rule.
     */
    private static void max2x2(int from, int to, int h, int w, int oh, int ow, float[] x, int xOff,
                               float[] y, int yOff, int[] argmax) {
        for (int p = from; p < to; p++) {
            int xb = xOff + p * h * w;
            int ob = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = 2 * oy * w;
                int o = ob + oy * ow;
                for (int ox = 0; ox < ow; ox++, o++) {
                    int i = r0 + 2 * ox;
                    float a = x[xb + i];
                    float b = x[xb + i + 1];
                    float c = x[xb + i + w];
                    float d = x[xb + i + w + 1];
                    float best = a;
                    int bi = i;
                    if (Float.isNaN(a + b + c + d)) {
                        bi = firstNaN(a, b, c, d, i, w);
                        best = x[xb + bi];
                    } else {
                        if (b > best) {
                            best = b;
                            bi = i + 1;
                        }
                        if (c > best) {
                            best = c;
                            bi = i + w;
                        }
                        if (d > best) {
                            best = d;
                            bi = i + w + 1;
                        }
                    }
                    y[yOff + o] = best;
                    argmax[o] = bi;
                }
            }
        }
    }

    /** The general rule on a 2x2 window whose sum is NaN: the first NaN wins, else the first maximum. */
    private static int firstNaN(float a, float b, float c, float d, int i, int w) {
        float[] v = {a, b, c, d};
        int[] at = {i, i + 1, i + w, i + w + 1};
        float best = Float.NEGATIVE_INFINITY;
        int bi = i;
        for (int k = 0; k < 4; k++) {
            if (Float.isNaN(v[k])) {
                return at[k];
            }
            if (v[k] > best) {
                best = v[k];
                bi = at[k];
            }
        }
        return bi;
    }

    /** dx (zeroed here, [planes, h, w]) += dy routed to each window's argmax. */
    public static void maxBackward(int planes, int h, int w, int oh, int ow, float[] dy, int dyOff,
                                   int[] argmax, float[] dx) {
        Parallel.forRange(0, planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                java.util.Arrays.fill(dx, xb, xb + h * w, 0f);
                int ob = p * oh * ow;
                for (int o = 0; o < oh * ow; o++) {
                    dx[xb + argmax[ob + o]] += dy[dyOff + ob + o];
                }
            }
        });
    }

    /** y = window sum / (kh*kw): zero padding counts, as with PyTorch's default. */
    public static void avgForward(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                  float[] x, int xOff, float[] y, int yOff) {
        int oh = outSize(h, kh, sh, ph);
        int ow = outSize(w, kw, sw, pw);
        float inv = 1f / (kh * kw);
        Parallel.forRange(0, planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = xOff + p * h * w;
                int ob = yOff + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = Math.max(0, oy * sh - ph);
                    int y1 = Math.min(h, oy * sh - ph + kh);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = Math.max(0, ox * sw - pw);
                        int x1 = Math.min(w, ox * sw - pw + kw);
                        float s = 0f;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                s += x[xb + iy * w + ix];
                            }
                        }
                        y[ob + oy * ow + ox] = s * inv;
                    }
                }
            }
        });
    }

    /** dx (zeroed here) += dy / (kh*kw) spread over each window. */
    public static void avgBackward(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                   float[] dy, int dyOff, float[] dx) {
        int oh = outSize(h, kh, sh, ph);
        int ow = outSize(w, kw, sw, pw);
        float inv = 1f / (kh * kw);
        Parallel.forRange(0, planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                java.util.Arrays.fill(dx, xb, xb + h * w, 0f);
                int ob = dyOff + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = Math.max(0, oy * sh - ph);
                    int y1 = Math.min(h, oy * sh - ph + kh);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = Math.max(0, ox * sw - pw);
                        int x1 = Math.min(w, ox * sw - pw + kw);
                        float gv = dy[ob + oy * ow + ox] * inv;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                dx[xb + iy * w + ix] += gv;
                            }
                        }
                    }
                }
            }
        });
    }

    /** Start of adaptive window i: floor(i * in / out) (PyTorch's formula). */
    public static int adaptiveStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** End (exclusive) of adaptive window i: ceil((i + 1) * in / out). */
    public static int adaptiveEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** y[oh, ow] = mean of each adaptive window of x[h, w]. */
    public static void adaptiveAvgForward(int planes, int h, int w, int oh, int ow,
                                          float[] x, int xOff, float[] y, int yOff) {
        Parallel.forRange(0, planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = xOff + p * h * w;
                int ob = yOff + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = adaptiveStart(oy, h, oh);
                    int y1 = adaptiveEnd(oy, h, oh);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = adaptiveStart(ox, w, ow);
                        int x1 = adaptiveEnd(ox, w, ow);
                        float s = 0f;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                s += x[xb + iy * w + ix];
                            }
                        }
                        y[ob + oy * ow + ox] = s / ((y1 - y0) * (x1 - x0));
                    }
                }
            }
        });
    }

    /** dx (zeroed here) += dy / window size spread over each adaptive window. */
    public static void adaptiveAvgBackward(int planes, int h, int w, int oh, int ow, float[] dy, int dyOff,
                                           float[] dx) {
        Parallel.forRange(0, planes, 4, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                java.util.Arrays.fill(dx, xb, xb + h * w, 0f);
                int ob = dyOff + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = adaptiveStart(oy, h, oh);
                    int y1 = adaptiveEnd(oy, h, oh);
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = adaptiveStart(ox, w, ow);
                        int x1 = adaptiveEnd(ox, w, ow);
                        float gv = dy[ob + oy * ow + ox] / ((y1 - y0) * (x1 - x0));
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                dx[xb + iy * w + ix] += gv;
                            }
                        }
                    }
                }
            }
        });
    }
}
