package dev.jumbo.kernels;

import static dev.jumbo.kernels.TestArrays.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vectorized (and, above 2 * GRAIN, parallel) updates against naive scalar loops in float32
 * with the same order of operations: the results must be bit-identical, tails included.
 */
class OptimizerKernelsTest {
    static final int[] SIZES = {1, 7, 17, 63, 129, 2 * OptimizerKernels.GRAIN + 37};

    static float[] abs(float[] a) {
        float[] o = a.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.abs(o[i]) + 0.01f;
        }
        return o;
    }

    @Test
    void sgdMatchesScalarLoop() {
        for (int n : SIZES) {
            for (boolean nesterov : new boolean[] {false, true}) {
                for (boolean first : new boolean[] {false, true}) {
                    SplittableRandom rnd = new SplittableRandom(n);
                    float[] p = random(rnd, n);
                    float[] g = random(rnd, n);
                    float[] buf = random(rnd, n);
                    float[] pe = p.clone();
                    float[] be = buf.clone();
                    float lr = 0.1f, mom = 0.9f, damp = nesterov ? 0f : 0.2f, wd = 0.01f;
                    for (int i = 0; i < n; i++) {
                        float d = g[i] + pe[i] * wd;
                        be[i] = first ? d : be[i] * mom + d * (1f - damp);
                        d = nesterov ? d + be[i] * mom : be[i];
                        pe[i] = pe[i] - d * lr;
                    }
                    OptimizerKernels.sgd(p, 0, g, 0, buf, n, lr, mom, damp, wd, nesterov, first);
                    assertThat(p).as("sgd n=%d", n).isEqualTo(pe);
                    assertThat(buf).isEqualTo(be);
                }
            }
        }
    }

    @Test
    void adamMatchesScalarLoopWithOffsets() {
        for (int n : SIZES) {
            for (int variant = 0; variant < 3; variant++) {
                boolean decoupled = variant == 1;
                boolean ams = variant == 2;
                SplittableRandom rnd = new SplittableRandom(n * 3L + variant);
                float[] p = random(rnd, n + 5);
                float[] g = random(rnd, n + 3);
                float[] m = random(rnd, n);
                float[] v = abs(random(rnd, n));
                float[] vmax = abs(random(rnd, n));
                float[] pe = p.clone();
                float[] me = m.clone();
                float[] ve = v.clone();
                float[] vme = vmax.clone();
                float lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.1f;
                int step = 7;
                float stepSize = (float) (lr / (1 - Math.pow(b1, step)));
                float bc2 = (float) Math.sqrt(1 - Math.pow(b2, step));
                for (int i = 0; i < n; i++) {
                    float pi = pe[5 + i];
                    float gi = decoupled ? g[3 + i] : g[3 + i] + pi * wd;
                    if (decoupled) {
                        pi = pi * (1f - lr * wd);
                    }
                    me[i] = me[i] + (gi - me[i]) * (1f - b1);
                    ve[i] = ve[i] * b2 + gi * gi * (1f - b2);
                    float vv = ve[i];
                    if (ams) {
                        vme[i] = Math.max(vme[i], vv);
                        vv = vme[i];
                    }
                    pe[5 + i] = pi - me[i] / ((float) Math.sqrt(vv) / bc2 + eps) * stepSize;
                }
                OptimizerKernels.adam(p, 5, g, 3, m, v, ams ? vmax : null, n, lr, b1, b2, eps, wd, decoupled, step);
                assertThat(p).as("adam n=%d variant %d", n, variant).isEqualTo(pe);
                assertThat(m).isEqualTo(me);
                assertThat(v).isEqualTo(ve);
                assertThat(vmax).isEqualTo(vme);
            }
        }
    }

    @Test
    void rmspropMatchesScalarLoop() {
        for (int n : SIZES) {
            for (int variant = 0; variant < 4; variant++) {
                boolean centered = (variant & 1) != 0;
                float mom = (variant & 2) != 0 ? 0.5f : 0f;
                SplittableRandom rnd = new SplittableRandom(n * 7L + variant);
                float[] p = random(rnd, n);
                float[] g = random(rnd, n);
                float[] sq = abs(random(rnd, n));
                float[] ga = random(rnd, n);
                for (int i = 0; i < n; i++) {
                    ga[i] *= 0.01f; // keep sq - ga^2 positive
                }
                float[] buf = random(rnd, n);
                float[] pe = p.clone();
                float[] sqe = sq.clone();
                float[] gae = ga.clone();
                float[] be = buf.clone();
                float lr = 0.01f, alpha = 0.9f, eps = 1e-8f, wd = 0.01f;
                for (int i = 0; i < n; i++) {
                    float gi = g[i] + pe[i] * wd;
                    sqe[i] = sqe[i] * alpha + gi * gi * (1f - alpha);
                    float avg;
                    if (centered) {
                        gae[i] = gae[i] + (gi - gae[i]) * (1f - alpha);
                        avg = (float) Math.sqrt(sqe[i] - gae[i] * gae[i]) + eps;
                    } else {
                        avg = (float) Math.sqrt(sqe[i]) + eps;
                    }
                    float u = gi / avg;
                    if (mom > 0) {
                        be[i] = be[i] * mom + u;
                        u = be[i];
                    }
                    pe[i] = pe[i] - u * lr;
                }
                OptimizerKernels.rmsprop(p, 0, g, 0, sq, centered ? ga : null, mom > 0 ? buf : null, n, lr, alpha, eps,
                        wd, mom);
                assertThat(p).as("rmsprop n=%d variant %d", n, variant).isEqualTo(pe);
                assertThat(sq).isEqualTo(sqe);
                assertThat(ga).isEqualTo(gae);
                assertThat(buf).isEqualTo(be);
            }
        }
    }

    @Test
    void normsScaleAndClamp() {
        for (int n : SIZES) {
            float[] x = random(new SplittableRandom(n), n + 2);
            double ss = 0;
            float max = 0;
            for (int i = 2; i < n + 2; i++) {
                ss += (double) x[i] * x[i];
                max = Math.max(max, Math.abs(x[i]));
            }
            assertThat(OptimizerKernels.sumSquares(x, 2, n)).isCloseTo(ss, org.assertj.core.api.Assertions.within(1e-6 * ss));
            assertThat(OptimizerKernels.maxAbs(x, 2, n)).isEqualTo(max);
            float[] y = x.clone();
            OptimizerKernels.scale(y, 2, n, 0.5f);
            OptimizerKernels.clamp(y, 2, n, -0.25f, 0.25f);
            for (int i = 0; i < n + 2; i++) {
                float e = i < 2 ? x[i] : Math.max(-0.25f, Math.min(0.25f, x[i] * 0.5f));
                assertThat(y[i]).isEqualTo(e);
            }
        }
    }
}
