package dev.jumbo.kernels;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
     * {@code argmax} may be null when no backward will need it (inference).
     */
    public static void maxForward(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                  float[] x, int xOff, float[] y, int yOff, int[] argmax) {
        int oh = outSize(h, kh, sh, ph);
        int ow = outSize(w, kw, sw, pw);
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0
                && max2x2(planes, h, w, oh, ow, x, xOff, y, yOff, argmax)) {
            return;
        }
        Parallel.forRange(0, planes, 4, (from, to) ->
                maxGeneral(from, to, h, w, kh, kw, sh, sw, ph, pw, oh, ow, x, xOff, y, yOff, argmax));
    }

    /** The general max-pool loop over planes [from, to). */
    private static void maxGeneral(int from, int to, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                   int oh, int ow, float[] x, int xOff, float[] y, int yOff, int[] argmax) {
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
                    if (argmax != null) {
                        argmax[ob + oy * ow + ox] = bi;
                    }
                }
            }
        }
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);
    private static final int L = S.length();

    /**
     * The common 2x2, stride 2, unpadded window, L outputs at a time without branches: random
     * activations made the scalar compares mispredict (14.5 ns per output, 13% of a LeNet-5
     * training step). Outputs of {@code k} consecutive planes, k*oh*ow a multiple of L, are one
     * run of full vectors whose four window corners are gathered through an index map. The top
     * pair is reduced first, then the bottom pair, and the bottom wins only when strictly
     * greater: that is the general loop's "first maximum in row-major order". A vector holding
     * a NaN (or +inf with -inf) takes the exact general rule. Fewer than k leftover planes (a
     * batch of one in a server: LeNet-5's 6 planes of 14x14 make one run of 4 and 2 left) run
     * their full vectors the same way, and only the last fewer than L outputs one by one; the
     * general loop took them before, 10% of LeNet-5's batch-1 forward pass.
     * Returns false (nothing done) when the index map would be too large.
     */
    private static boolean max2x2(int planes, int h, int w, int oh, int ow, float[] x, int xOff,
                                  float[] y, int yOff, int[] argmax) {
        int outPlane = oh * ow;
        int k = L / gcd(L, outPlane);
        int run = k * outPlane;
        if (run > 1 << 16) {
            return false;
        }
        CornerMap map = cornerMap(h, w, oh, ow, run);
        int[] at = map.at;
        int[] local = map.local;
        int groups = planes / k;
        Parallel.forRange(0, groups, Math.max(1, 16 / k), (from, to) -> {
            for (int gi = from; gi < to; gi++) {
                windows(x, xOff + gi * k * h * w, w, at, local, run, y, yOff, gi * run, argmax);
            }
        });
        int done = groups * k;
        if (done < planes) { // fewer than k planes left: their full vectors, then a short tail
            windows(x, xOff + done * h * w, w, at, local, (planes - done) * outPlane, y, yOff, done * outPlane, argmax);
        }
        return true;
    }

    /**
     * {@link #max2x2}'s windows 0..count-1 of one run starting at input {@code xb} and output
     * {@code ob}: L at a time, then any tail of fewer than L one by one by the same rule.
     */
    private static void windows(float[] x, int xb, int w, int[] at, int[] local, int count,
                                float[] y, int yOff, int ob, int[] argmax) {
        int vectorEnd = S.loopBound(count);
        for (int q = 0; q < vectorEnd; q += L) {
            FloatVector a = FloatVector.fromArray(S, x, xb, at, q);
            FloatVector b = FloatVector.fromArray(S, x, xb + 1, at, q);
            FloatVector c = FloatVector.fromArray(S, x, xb + w, at, q);
            FloatVector d = FloatVector.fromArray(S, x, xb + w + 1, at, q);
            if (a.add(b).add(c).add(d).test(VectorOperators.IS_NAN).anyTrue()) {
                for (int j = q; j < q + L; j++) {
                    window(x, xb, w, at, local, j, y, yOff, ob, argmax);
                }
                continue;
            }
            VectorMask<Float> right = b.compare(VectorOperators.GT, a);
            VectorMask<Float> rightLow = d.compare(VectorOperators.GT, c);
            FloatVector top = a.blend(b, right);
            FloatVector bottom = c.blend(d, rightLow);
            VectorMask<Float> low = bottom.compare(VectorOperators.GT, top);
            top.blend(bottom, low).intoArray(y, yOff + ob + q);
            if (argmax == null) {
                continue;
            }
            IntVector base = IntVector.fromArray(IS, local, q);
            IntVector ti = base.blend(base.add(1), right.cast(IS));
            IntVector bi = base.add(w).blend(base.add(w + 1), rightLow.cast(IS));
            ti.blend(bi, low.cast(IS)).intoArray(argmax, ob + q);
        }
        for (int j = vectorEnd; j < count; j++) {
            window(x, xb, w, at, local, j, y, yOff, ob, argmax);
        }
    }

    /** One 2x2 window by the general rule (first maximum, a NaN wins). */
    private static void window(float[] x, int xb, int w, int[] at, int[] local, int j,
                               float[] y, int yOff, int ob, int[] argmax) {
        int i = at[j];
        int bi = firstNaN(x[xb + i], x[xb + i + 1], x[xb + i + w], x[xb + i + w + 1], i, w);
        y[yOff + ob + j] = x[xb + bi];
        if (argmax != null) {
            argmax[ob + j] = local[j] + (bi - i);
        }
    }

    /**
     * The window corners of {@link #max2x2}'s runs: {@code at[q]}, the top-left input of output q
     * counted from the run's first plane, and {@code local[q]}, the same within its own plane.
     */
    private record CornerMap(int h, int w, int oh, int ow, int[] at, int[] local) {}

    /**
     * The corner maps of the last few geometries (a model's pooling layers), replaced round-robin:
     * making them per call was 8 KB of garbage per LeNet-5 image in a model server, whose latency
     * tail the collector's pauses set. Entries are immutable, so racy reads and writes of the slots
     * are harmless (a miss only rebuilds a map).
     */
    private static final CornerMap[] CORNER_MAPS = new CornerMap[8];
    private static int nextCornerMap;

    private static CornerMap cornerMap(int h, int w, int oh, int ow, int run) {
        for (CornerMap m : CORNER_MAPS) {
            if (m != null && m.h == h && m.w == w && m.oh == oh && m.ow == ow) {
                return m;
            }
        }
        int outPlane = oh * ow;
        int[] at = new int[run];
        int[] local = new int[run];
        for (int q = 0; q < run; q++) {
            int p = q / outPlane;
            int r = q % outPlane;
            local[q] = 2 * (r / ow) * w + 2 * (r % ow);
            at[q] = p * h * w + local[q];
        }
        CornerMap m = new CornerMap(h, w, oh, ow, at, local);
        CORNER_MAPS[nextCornerMap++ & (CORNER_MAPS.length - 1)] = m;
        return m;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
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
