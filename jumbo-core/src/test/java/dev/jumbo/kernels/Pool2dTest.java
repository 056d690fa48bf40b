package dev.jumbo.kernels;

import static dev.jumbo.kernels.TestArrays.assertClose;
import static dev.jumbo.kernels.TestArrays.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Pool2dTest {

    /** Naive pooling with explicit padding: max ignores pad cells, avg divides by kh*kw. */
    private static float[][] reference(boolean max, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph,
                                       int pw, float[] x, float[] dy) {
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        float[] y = new float[planes * oh * ow];
        float[] dx = new float[planes * h * w];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    double sum = 0;
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = oy * sh - ph + ky;
                            int ix = ox * sw - pw + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            float v = x[(p * h + iy) * w + ix];
                            sum += v;
                            if (v > best) {
                                best = v;
                                arg = (p * h + iy) * w + ix;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    if (max) {
                        y[o] = (float) best;
                        dx[arg] += dy[o];
                    } else {
                        y[o] = (float) (sum / (kh * kw));
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * sh - ph + ky;
                                int ix = ox * sw - pw + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    dx[(p * h + iy) * w + ix] += dy[o] / (kh * kw);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new float[][] {y, dx};
    }

    @ParameterizedTest(name = "planes{0} {1}x{2} k{3}x{4} s{5},{6} p{7},{8}")
    @CsvSource({
        "1, 1, 1, 1, 1, 1, 1, 0, 0",
        "3, 7, 7, 2, 2, 2, 2, 0, 0",
        "5, 17, 9, 3, 3, 2, 2, 1, 1",
        "2, 8, 13, 3, 2, 1, 3, 1, 1",
        "17, 6, 7, 5, 4, 3, 1, 2, 2",
    })
    void maxAndAvgMatchNaiveReference(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        SplittableRandom rnd = new SplittableRandom(planes * 13 + h);
        float[] x = random(rnd, planes * h * w);
        int oh = Pool2d.outSize(h, kh, sh, ph);
        int ow = Pool2d.outSize(w, kw, sw, pw);
        float[] dy = random(rnd, planes * oh * ow);
        for (boolean max : new boolean[] {true, false}) {
            float[][] ref = reference(max, planes, h, w, kh, kw, sh, sw, ph, pw, x, dy);
            float[] y = new float[dy.length];
            float[] dx = new float[x.length];
            if (max) {
                int[] arg = new int[dy.length];
                Pool2d.maxForward(planes, h, w, kh, kw, sh, sw, ph, pw, x, 0, y, 0, arg);
                Pool2d.maxBackward(planes, h, w, oh, ow, dy, 0, arg, dx);
            } else {
                Pool2d.avgForward(planes, h, w, kh, kw, sh, sw, ph, pw, x, 0, y, 0);
                Pool2d.avgBackward(planes, h, w, kh, kw, sh, sw, ph, pw, dy, 0, dx);
            }
            assertClose((max ? "max" : "avg") + " forward", y, ref[0], 1e-5);
            assertClose((max ? "max" : "avg") + " backward", dx, ref[1], 1e-5);
        }
    }

    @ParameterizedTest(name = "planes {0}")
    // 8 planes of 6 outputs fill whole vectors (16 lanes); 1 and 9 leave fewer than 16 outputs to the
    // one-by-one tail; 11 leaves 3 planes: one vector of them and a tail of 2
    @CsvSource({"1", "8", "9", "11"})
    void twoByTwoFastPathKeepsTiesNaNAndInfinityRules(int planes) {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        // six 2x2 windows side by side: ties, NaN second, all -inf, +inf with -inf, two NaNs, max bottom right
        float[] plane = {
            1, 1, 0, nan, -inf, -inf, inf, 2, 5, nan, 0, 1,
            1, 1, 7, 9, -inf, -inf, -inf, 3, nan, 0, 2, 3};
        float[] x = new float[planes * plane.length];
        for (int p = 0; p < planes; p++) {
            System.arraycopy(plane, 0, x, p * plane.length, plane.length);
        }
        float[] y = new float[planes * 6];
        int[] arg = new int[planes * 6];
        Pool2d.maxForward(planes, 2, 12, 2, 2, 2, 2, 0, 0, x, 0, y, 0, arg);
        for (int p = 0; p < planes; p++) {
            assertThat(java.util.Arrays.copyOfRange(arg, 6 * p, 6 * p + 6)).containsExactly(0, 3, 4, 6, 9, 23);
            assertThat(y[6 * p]).isEqualTo(1f);
            assertThat(y[6 * p + 1]).isNaN();
            assertThat(y[6 * p + 2]).isEqualTo(-inf);
            assertThat(y[6 * p + 3]).isEqualTo(inf);
            assertThat(y[6 * p + 4]).isNaN();
            assertThat(y[6 * p + 5]).isEqualTo(3f);
        }
    }

    @org.junit.jupiter.api.Test
    void maxWithoutArgmaxGivesTheSameOutputsAcrossMoreGeometriesThanTheCornerMapCache() {
        SplittableRandom rnd = new SplittableRandom(11);
        // 12 geometries, twice round (the 2x2 path keeps 8 corner maps); the second round with a
        // NaN (which the naive reference below does not model, so it is compared there only once)
        for (int round = 0; round < 2; round++) {
            for (int g = 0; g < 12; g++) {
                int planes = 1 + g % 5, h = 4 + 2 * g, w = 6 + g;
                float[] x = random(rnd, planes * h * w);
                if (round == 1) {
                    x[g % x.length] = Float.NaN;
                }
                float[] withArg = new float[planes * (h / 2) * (w / 2)];
                float[] without = new float[withArg.length];
                Pool2d.maxForward(planes, h, w, 2, 2, 2, 2, 0, 0, x, 0, withArg, 0, new int[withArg.length]);
                Pool2d.maxForward(planes, h, w, 2, 2, 2, 2, 0, 0, x, 0, without, 0, null);
                assertThat(without).as("geometry %d", g).containsExactly(withArg);
                if (round == 1) {
                    continue;
                }
                float[][] ref = reference(true, planes, h, w, 2, 2, 2, 2, 0, 0, x, new float[withArg.length]);
                assertThat(without).as("geometry %d", g).containsExactly(ref[0]);
                // and the general loop (3x3 windows)
                int oh = Pool2d.outSize(h, 3, 2, 1), ow = Pool2d.outSize(w, 3, 2, 1);
                float[] general = new float[planes * oh * ow];
                Pool2d.maxForward(planes, h, w, 3, 3, 2, 2, 1, 1, x, 0, general, 0, null);
                assertThat(general).containsExactly(reference(true, planes, h, w, 3, 3, 2, 2, 1, 1, x, new float[general.length])[0]);
            }
        }
    }

    @ParameterizedTest(name = "planes {0} {1}x{2}")
    // 6 planes of 14x14 (LeNet-5's first pool at batch 1): a run of 4 planes, then 2 planes of 24 vectors and 8 left
    @CsvSource({"64, 28, 28", "17, 10, 10", "16, 11, 9", "3, 4, 4", "6, 28, 28", "1, 28, 28"})
    void twoByTwoVectorPathMatchesReferenceWithTies(int planes, int h, int w) {
        SplittableRandom rnd = new SplittableRandom(planes * 31 + h);
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(4); // many ties
        }
        int oh = h / 2;
        int ow = w / 2;
        float[] y = new float[planes * oh * ow];
        int[] arg = new int[y.length];
        Pool2d.maxForward(planes, h, w, 2, 2, 2, 2, 0, 0, x, 0, y, 0, arg);
        float[][] ref = reference(true, planes, h, w, 2, 2, 2, 2, 0, 0, x, new float[y.length]);
        assertThat(y).containsExactly(ref[0]);
        for (int p = 0; p < planes; p++) {
            for (int o = 0; o < oh * ow; o++) {
                int oy = o / ow;
                int ox = o % ow;
                float best = Float.NEGATIVE_INFINITY;
                int bi = -1;
                for (int k = 0; k < 4; k++) {
                    int i = (2 * oy + k / 2) * w + 2 * ox + k % 2;
                    if (x[p * h * w + i] > best) {
                        best = x[p * h * w + i];
                        bi = i;
                    }
                }
                assertThat(arg[p * oh * ow + o]).as("argmax of plane %d output %d", p, o).isEqualTo(bi);
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({"7, 7, 1, 1", "17, 9, 5, 4", "5, 6, 7, 6", "1, 1, 3, 2", "10, 10, 3, 3"})
    void adaptiveAverageUsesPyTorchWindows(int h, int w, int oh, int ow) {
        SplittableRandom rnd = new SplittableRandom(h * 100 + oh);
        int planes = 3;
        float[] x = random(rnd, planes * h * w);
        float[] dy = random(rnd, planes * oh * ow);
        float[] y = new float[dy.length];
        float[] dx = new float[x.length];
        Pool2d.adaptiveAvgForward(planes, h, w, oh, ow, x, 0, y, 0);
        Pool2d.adaptiveAvgBackward(planes, h, w, oh, ow, dy, 0, dx);
        float[] ry = new float[y.length];
        float[] rdx = new float[x.length];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                int y0 = (int) Math.floor((double) i * h / oh);
                int y1 = (int) Math.ceil((double) (i + 1) * h / oh);
                for (int j = 0; j < ow; j++) {
                    int x0 = (int) Math.floor((double) j * w / ow);
                    int x1 = (int) Math.ceil((double) (j + 1) * w / ow);
                    double s = 0;
                    int cnt = (y1 - y0) * (x1 - x0);
                    for (int a = y0; a < y1; a++) {
                        for (int b = x0; b < x1; b++) {
                            s += x[(p * h + a) * w + b];
                            rdx[(p * h + a) * w + b] += dy[(p * oh + i) * ow + j] / cnt;
                        }
                    }
                    ry[(p * oh + i) * ow + j] = (float) (s / cnt);
                }
            }
        }
        assertClose("adaptive forward", y, ry, 1e-5);
        assertClose("adaptive backward", dx, rdx, 1e-5);
    }

    @Test
    void adaptiveWindowsOverlapLikePyTorch() {
        // PyTorch: in 5, out 3 -> windows [0,2), [1,4), [3,5)
        assertThat(new int[] {Pool2d.adaptiveStart(0, 5, 3), Pool2d.adaptiveStart(1, 5, 3), Pool2d.adaptiveStart(2, 5, 3)})
                .containsExactly(0, 1, 3);
        assertThat(new int[] {Pool2d.adaptiveEnd(0, 5, 3), Pool2d.adaptiveEnd(1, 5, 3), Pool2d.adaptiveEnd(2, 5, 3)})
                .containsExactly(2, 4, 5);
    }
}
