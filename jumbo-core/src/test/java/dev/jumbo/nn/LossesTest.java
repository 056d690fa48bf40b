package dev.jumbo.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import dev.jumbo.nn.Losses.CrossEntropyOptions;
import dev.jumbo.nn.Losses.Reduction;
import dev.jumbo.tensor.Profiler;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), shape).requiresGrad(true);
    }

    /** A non-contiguous [rows, cols] leaf: the transpose of a contiguous [cols, rows]. */
    static Tensor transposed(long seed, int rows, int cols) {
        return Tensor.randn(new Rng(seed), cols, rows).t().detach().requiresGrad(true);
    }

    static Tensor labels(int... v) {
        return Tensor.ofInts(v, v.length);
    }

    // ------------------------------------------------------------------ naive float64 reference of torch

    /**
     * PyTorch's cross_entropy for class targets, literally: log_softmax; nll (weighted); the smoothing
     * term -(logp * w).sum(class) masked at ignored rows; (1-s)*nll + s/C * smooth, reduced.
     * Logits are [N, C, inner] flattened.
     */
    static double[] referenceCrossEntropy(float[] x, int n, int c, int inner, int[] t, float[] w, int ignore,
                                          double s, Reduction red) {
        double[] nll = new double[n * inner];
        double[] smooth = new double[n * inner];
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, x[(i * c + j) * inner + k]);
                }
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += Math.exp(x[(i * c + j) * inner + k] - max);
                }
                double lse = max + Math.log(sum);
                int r = i * inner + k;
                int tr = t[r];
                if (tr == ignore) {
                    continue;
                }
                double wt = w == null ? 1 : w[tr];
                nll[r] = -wt * (x[(i * c + tr) * inner + k] - lse);
                wsum += wt;
                for (int j = 0; j < c; j++) {
                    smooth[r] -= (w == null ? 1 : w[j]) * (x[(i * c + j) * inner + k] - lse);
                }
            }
        }
        double[] per = new double[n * inner];
        double nllSum = 0;
        double smoothSum = 0;
        for (int r = 0; r < per.length; r++) {
            per[r] = (1 - s) * nll[r] + s / c * smooth[r];
            nllSum += nll[r];
            smoothSum += smooth[r];
        }
        return switch (red) {
            case NONE -> per;
            case SUM -> new double[] {(1 - s) * nllSum + s / c * smoothSum};
            case MEAN -> new double[] {(1 - s) * nllSum / wsum + s / c * smoothSum / wsum};
            default -> throw new IllegalArgumentException();
        };
    }

    static void assertClose(Tensor actual, double[] expected) {
        float[] a = actual.toFloatArray();
        assertThat(a).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
        }
    }

    @Test
    void crossEntropyHandValue() {
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 1, 1, 1}, 2, 3);
        Tensor loss = Losses.crossEntropy(logits, labels(2, 0));
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3; // 0.40760596
        double l1 = Math.log(3);
        assertThat((double) loss.item()).isCloseTo((l0 + l1) / 2, within(1e-6));
    }

    @Test
    void crossEntropyMatchesFloat64ReferenceInEveryOptionCombination() {
        int n = 7;
        int c = 5;
        float[] w = {0.5f, 2f, 1f, 0.25f, 3f};
        int[] t = {0, 4, -1, 2, 4, 1, -1};
        Tensor x = Tensor.randn(new Rng(3), n, c).mul(3f);
        float[] xd = x.toFloatArray();
        for (Reduction red : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN}) {
            for (float s : new float[] {0f, 0.1f, 1f}) {
                for (boolean weighted : new boolean[] {false, true}) {
                    var o = CrossEntropyOptions.defaults().labelSmoothing(s).ignoreIndex(-1).reduction(red)
                            .weight(weighted ? Tensor.vector(w) : null);
                    Tensor loss = Losses.crossEntropy(x, Tensor.ofInts(t, n), o);
                    assertClose(loss, referenceCrossEntropy(xd, n, c, 1, t, weighted ? w : null, -1, s, red));
                }
            }
        }
    }

    @Test
    void crossEntropyOverSpatialDimensionsMatchesReference() {
        int n = 2;
        int c = 4;
        int inner = 6; // [2,4,2,3]
        Tensor x = Tensor.randn(new Rng(5), n, c, 2, 3);
        int[] t = {0, 3, 1, 2, 2, -100, 1, 1, 0, 3, 3, 2};
        float[] w = {1f, 0.5f, 2f, 1.5f};
        var o = CrossEntropyOptions.defaults().labelSmoothing(0.2f).weight(Tensor.vector(w));
        Tensor loss = Losses.crossEntropy(x, Tensor.ofInts(t, n, 2, 3), o);
        assertClose(loss, referenceCrossEntropy(x.toFloatArray(), n, c, inner, t, w, -100, 0.2, Reduction.MEAN));
        Tensor none = Losses.crossEntropy(x, Tensor.ofInts(t, n, 2, 3), o.reduction(Reduction.NONE));
        assertThat(none.shape()).containsExactly(2, 2, 3);
    }

    @Test
    void crossEntropyWithProbabilitiesEqualsOneHotAndSmoothsLikeTorch() {
        Tensor x = Tensor.randn(new Rng(7), 4, 3);
        int[] t = {2, 0, 1, 1};
        Tensor probs = Tensor.oneHot(Tensor.ofInts(t, 4), 3);
        float hard = Losses.crossEntropy(x, Tensor.ofInts(t, 4)).item();
        assertThat(Losses.crossEntropy(x, probs).item()).isCloseTo(hard, within(1e-6f));
        // soft targets with smoothing s: target*(1-s) + s/C, same as class targets without weights
        var o = CrossEntropyOptions.defaults().labelSmoothing(0.3f);
        assertThat(Losses.crossEntropy(x, probs, o).item())
                .isCloseTo(Losses.crossEntropy(x, Tensor.ofInts(t, 4), o).item(), within(1e-6f));
        // with weights, the soft mean divides by the row count (not the weights), as torch does
        float[] w = {2f, 1f, 0.5f};
        double[] per = referenceCrossEntropy(x.toFloatArray(), 4, 3, 1, t, w, -100, 0, Reduction.NONE);
        double expected = (per[0] + per[1] + per[2] + per[3]) / 4;
        Tensor soft = Losses.crossEntropy(x, probs, CrossEntropyOptions.defaults().weight(Tensor.vector(w)));
        assertThat((double) soft.item()).isCloseTo(expected, within(1e-5));
    }

    @Test
    void crossEntropyUnbatched() {
        Tensor x = Tensor.vector(1, 2, 3);
        Tensor loss = Losses.crossEntropy(x, Tensor.ofInts(new int[] {2}));
        assertThat(loss.dim()).isZero();
        assertThat((double) loss.item()).isCloseTo(0.40760596, within(1e-6));
    }

    @Test
    void crossEntropyGradChecks() {
        GradCheck.check("ce", in -> Losses.crossEntropy(in[0], labels(1, 0, 3, 2)), randn(1, 4, 5));
        Tensor w = Tensor.vector(0.5f, 2f, 1f, 0.25f, 3f);
        var all = CrossEntropyOptions.defaults().labelSmoothing(0.15f).weight(w).ignoreIndex(-1);
        Tensor t = labels(1, -1, 4, 2, 0, 4);
        GradCheck.check("ce smoothing+weights+ignore", in -> Losses.crossEntropy(in[0], t, all), transposed(2, 6, 5));
        GradCheck.check("ce sum", in -> Losses.crossEntropy(in[0], t, all.reduction(Reduction.SUM)), randn(3, 6, 5));
        GradCheck.check("ce none", in -> Losses.crossEntropy(in[0], t, all.reduction(Reduction.NONE)), randn(4, 6, 5));
        Tensor spatial = Tensor.ofInts(new int[] {0, 2, 1, 1, 2, 0}, 2, 3);
        GradCheck.check("ce [N,C,d]", in -> Losses.crossEntropy(in[0], spatial, all.ignoreIndex(1).weight(null)),
                randn(5, 2, 3, 3));
        Tensor probs = Tensor.of(new float[] {0.2f, 0.3f, 0.5f, 1f, 0f, 0f}, 2, 3);
        GradCheck.check("ce soft", in -> Losses.crossEntropy(in[0], probs,
                CrossEntropyOptions.defaults().labelSmoothing(0.1f).weight(Tensor.vector(1f, 2f, 0.5f))), randn(6, 2, 3));
        // wide rows take the vectorized softmax path plus a tail
        Tensor wide = labels(33, 0, 20);
        GradCheck.check("ce wide", in -> Losses.crossEntropy(in[0], wide), randn(7, 3, 37));
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusTargetExactly() {
        Tensor x = randn(21, 3, 20);
        int[] t = {19, 0, 7};
        Losses.crossEntropy(x, Tensor.ofInts(t, 3), CrossEntropyOptions.defaults().reduction(Reduction.SUM)).backward();
        float[] p = x.detach().softmax(1).toFloatArray();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 20; c++) {
                float expected = p[i * 20 + c] - (c == t[i] ? 1f : 0f);
                assertThat(g[i * 20 + c]).isCloseTo(expected, within(1e-6f));
            }
        }
    }

    @Test
    void crossEntropyIsOneFusedOpInTheProfiler() {
        Tensor x = randn(8, 16, 10);
        Tensor t = Tensor.ofInts(new int[16], 16);
        try (Profiler prof = Profiler.start(false)) {
            Losses.crossEntropy(x, t, CrossEntropyOptions.defaults().reduction(Reduction.SUM)).backward();
            Profiler.Report r = prof.report();
            assertThat(r.op("crossEntropy").calls()).isEqualTo(1);
            assertThat(r.op("crossEntropy").flops()).isEqualTo(16 * 10 + 16);
            assertThat(r.op("crossEntropy.backward").calls()).isEqualTo(1);
            assertThat(r.op("crossEntropy.backward").flops()).isEqualTo(16 * 10);
            assertThat(r.ops()).extracting(Profiler.OpCount::op)
                    .doesNotContain("logSoftmax", "softmax", "exp", "log", "gather", "logsumexp");
        }
    }

    @Test
    void crossEntropyErrorsNameIndexClassesAndShapes() {
        Tensor x = Tensor.zeros(3, 10);
        assertThatThrownBy(() -> Losses.crossEntropy(x, labels(1, 10, 2)))
                .hasMessageContaining("target 10 at index 1").hasMessageContaining("10 classes");
        assertThatThrownBy(() -> Losses.crossEntropy(x, labels(1, 2)))
                .hasMessageContaining("[2]").hasMessageContaining("[3,10]");
        assertThatThrownBy(() -> Losses.crossEntropy(x, labels(1, 2, 3),
                CrossEntropyOptions.defaults().weight(Tensor.ones(9))))
                .hasMessageContaining("[9]").hasMessageContaining("[10]");
        assertThatThrownBy(() -> Losses.crossEntropy(x, labels(1, 2, 3),
                CrossEntropyOptions.defaults().labelSmoothing(1.5f))).hasMessageContaining("labelSmoothing = 1.5");
    }

    @Test
    void nllValuesGradAndWeightedMean() {
        Tensor logp = Tensor.of(new float[] {-0.5f, -1f, -2f, -3f, -0.1f, -4f}, 2, 3);
        Tensor w = Tensor.vector(1f, 2f, 3f);
        // (-w1*-0.1 + -w0*-0.5) / (2 + 1) = (0.2 + 0.5) / 3
        Tensor loss = Losses.nll(logp, labels(0, 1), w, -100, Reduction.MEAN);
        assertThat(loss.item()).isCloseTo(0.7f / 3, within(1e-6f));
        assertThat(Losses.nll(logp, labels(0, 1)).item()).isCloseTo(0.3f, within(1e-6f));
        GradCheck.check("nll", in -> Losses.nll(in[0], labels(2, -100, 1), w, -100, Reduction.MEAN), randn(9, 3, 3));
        assertThatThrownBy(() -> Losses.nll(logp, labels(0, 3))).hasMessageContaining("target 3 at index 1");
    }

    @Test
    void crossEntropyEqualsNllOfLogSoftmax() {
        Tensor x = Tensor.randn(new Rng(10), 5, 4);
        Tensor t = labels(0, 3, 3, 1, 2);
        assertThat(Losses.crossEntropy(x, t).item()).isCloseTo(Losses.nll(x.logSoftmax(1), t).item(), within(1e-6f));
    }

    @Test
    void mseAndL1ValuesGradsAndErrors() {
        Tensor a = Tensor.vector(1, 2, 3);
        Tensor b = Tensor.vector(0, 0, 5);
        assertThat(Losses.mse(a, b).item()).isCloseTo((1 + 4 + 4) / 3f, within(1e-6f));
        assertThat(Losses.mse(a, b, Reduction.SUM).item()).isEqualTo(9f);
        assertThat(Losses.l1(a, b).item()).isCloseTo(5 / 3f, within(1e-6f));
        assertThat(Losses.l1(a, b, Reduction.NONE).toFloatArray()).containsExactly(1, 2, 2);
        Tensor y = Tensor.randn(new Rng(11), 4, 3);
        GradCheck.check("mse", in -> Losses.mse(in[0], in[1]), transposed(12, 4, 3), y.detach().requiresGrad(true));
        GradCheck.check("l1", in -> Losses.l1(in[0], y), randn(13, 4, 3));
        assertThatThrownBy(() -> Losses.mse(a, Tensor.zeros(2, 3)))
                .hasMessageContaining("mse: input [3] and target [2,3]");
    }

    @Test
    void bceWithLogitsIsStableAndMatchesTheDefinition() {
        Tensor x = Tensor.vector(0f, 2f, -3f, 100f, -100f);
        Tensor y = Tensor.vector(1f, 0f, 1f, 0f, 1f);
        float[] l = Losses.bceWithLogits(x, y, null, null, Reduction.NONE).toFloatArray();
        double[] expected = new double[5];
        float[] xs = x.toFloatArray();
        float[] ys = y.toFloatArray();
        for (int i = 0; i < 5; i++) {
            double sig = 1 / (1 + Math.exp(-xs[i]));
            // -(y log s + (1-y) log(1-s)) in a stable form
            expected[i] = Math.max(xs[i], 0) - xs[i] * ys[i] + Math.log1p(Math.exp(-Math.abs(xs[i])));
            if (Math.abs(xs[i]) < 10) {
                assertThat(expected[i]).isCloseTo(-(ys[i] * Math.log(sig) + (1 - ys[i]) * Math.log(1 - sig)), within(1e-9));
            }
        }
        for (int i = 0; i < 5; i++) {
            assertThat((double) l[i]).isCloseTo(expected[i], within(1e-5 * Math.max(1, expected[i])));
        }
        assertThat(l[3]).isEqualTo(100f);
        // pos_weight multiplies the positive term: y=1, x=0, pw=3 -> 3 log 2
        Tensor pw = Tensor.vector(3f);
        assertThat(Losses.bceWithLogits(Tensor.vector(0f), Tensor.vector(1f), null, pw, Reduction.SUM).item())
                .isCloseTo(3 * (float) Math.log(2), within(1e-6f));
        Tensor target = Tensor.rand(new Rng(14), 3, 4).requiresGrad(true);
        GradCheck.check("bce", in -> Losses.bceWithLogits(in[0], in[1], Tensor.rand(new Rng(15), 4),
                Tensor.vector(0.5f, 2f, 1f, 3f), Reduction.MEAN), transposed(16, 3, 4), target);
        assertThatThrownBy(() -> Losses.bceWithLogits(x, Tensor.zeros(4)))
                .hasMessageContaining("[5]").hasMessageContaining("[4]");
    }

    @Test
    void klDivValuesReductionsAndGrads() {
        float[] p = {0.25f, 0.75f, 0f, 1f};
        float[] q = {0.5f, 0.5f, 0.3f, 0.7f};
        Tensor logq = Tensor.of(new float[] {(float) Math.log(q[0]), (float) Math.log(q[1]), (float) Math.log(q[2]),
                (float) Math.log(q[3])}, 2, 2);
        Tensor target = Tensor.of(p, 2, 2);
        double row0 = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
        double row1 = Math.log(1 / 0.7);
        assertThat((double) Losses.klDiv(logq, target, Reduction.BATCHMEAN).item()).isCloseTo((row0 + row1) / 2, within(1e-6));
        assertThat((double) Losses.klDiv(logq, target, Reduction.SUM).item()).isCloseTo(row0 + row1, within(1e-6));
        assertThat((double) Losses.klDiv(logq, target, Reduction.MEAN).item()).isCloseTo((row0 + row1) / 4, within(1e-6));
        Tensor logp = Tensor.of(new float[] {(float) Math.log(0.25), (float) Math.log(0.75), -30f, 0f}, 2, 2);
        assertThat(Losses.klDiv(logq, logp, Reduction.SUM, true).item())
                .isCloseTo(Losses.klDiv(logq, target, Reduction.SUM).item(), within(1e-5f));
        Tensor positive = Tensor.rand(new Rng(17), 3, 4).add(0.1f).requiresGrad(true);
        GradCheck.check("kl", in -> Losses.klDiv(in[0], in[1], Reduction.BATCHMEAN),
                randn(18, 3, 4), positive);
        GradCheck.check("kl logTarget", in -> Losses.klDiv(in[0], in[1], Reduction.SUM, true),
                randn(19, 3, 4), randn(20, 3, 4));
        assertThatThrownBy(() -> Losses.klDiv(logq, Tensor.zeros(4), Reduction.SUM))
                .hasMessageContaining("[2,2]").hasMessageContaining("[4]");
    }
}
