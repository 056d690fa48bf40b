package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.autograd.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvPoolNormOpsTest {

    private final SplittableRandom rnd = new SplittableRandom(7);

    private Tensor rand(int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return Tensor.of(d, shape).requiresGrad(true);
    }

    /** A non-contiguous leaf [a, b, c, d] made by permuting a contiguous [a, c, b, d]. */
    private Tensor randPermuted(int a, int b, int c, int d) {
        return rand(a, c, b, d).permute(0, 2, 1, 3).detach().requiresGrad(true);
    }

    private static int[] p(int... v) {
        return v;
    }

    @Test
    void conv2dGradients() {
        GradCheck.check("conv2d plain", in -> in[0].conv2d(in[1], in[2], 1, 1), rand(2, 3, 5, 5), rand(4, 3, 3, 3), rand(4));
        GradCheck.check("conv2d stride/pad/dilation",
                in -> ConvOps.conv2d(in[0], in[1], in[2], p(2, 1), p(1, 2), p(1, 2), 1),
                rand(2, 2, 7, 6), rand(3, 2, 3, 2), rand(3));
        GradCheck.check("conv2d groups 2, no bias",
                in -> ConvOps.conv2d(in[0], in[1], null, p(1, 2), p(0, 1), p(1, 1), 2),
                rand(1, 4, 5, 6), rand(6, 2, 2, 3));
        GradCheck.check("conv2d depthwise, non-contiguous input",
                in -> ConvOps.conv2d(in[0], in[1], in[2], p(1, 1), p(1, 1), p(1, 1), 3),
                randPermuted(2, 3, 4, 5), rand(3, 1, 3, 3), rand(3));
        GradCheck.check("conv2d 1x1", in -> in[0].conv2d(in[1], in[2]), rand(2, 5, 3, 4), rand(2, 5, 1, 1), rand(2));
    }

    @Test
    void conv1dGradients() {
        GradCheck.check("conv1d", in -> in[0].conv1d(in[1], in[2], 2, 1, 2, 1), rand(2, 3, 11), rand(4, 3, 3), rand(4));
        GradCheck.check("conv1d groups", in -> in[0].conv1d(in[1], null, 1, 0, 1, 2), rand(2, 4, 7), rand(2, 2, 2));
    }

    @Test
    void conv2dProfilerCountsMacs() {
        Tensor x = rand(2, 4, 6, 6);
        Tensor w = rand(8, 2, 3, 3);
        Tensor b = rand(8);
        try (Profiler prof = Profiler.start(false)) {
            Tensor y = ConvOps.conv2d(x, w, b, p(1, 1), p(1, 1), p(1, 1), 2);
            y.backward(Tensor.full(1f, y.shape()));
            long macs = 2L * 8 * 6 * 6 * 2 * 3 * 3;
            assertThat(counts(prof, "conv2d")).containsExactly(1, macs, 2 * macs + 2 * 8 * 36);
            assertThat(counts(prof, "conv2d.backward")).containsExactly(1, 2 * macs, 4 * macs + 2 * 8 * 36);
        }
    }

    private static long[] counts(Profiler prof, String op) {
        Profiler.OpCount c = prof.report().op(op);
        return new long[] {c.calls(), c.macs(), c.flops()};
    }

    /** Distinct values at least 0.05 apart so a 1e-2 perturbation never changes a max. */
    private Tensor noTies(int... shape) {
        int n = Shapes.numel(shape);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = i * 0.05f - n * 0.025f;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return Tensor.of(d, shape).requiresGrad(true);
    }

    @Test
    void poolingGradients() {
        GradCheck.check("maxPool2d", in -> in[0].maxPool2d(2), noTies(2, 3, 6, 7));
        GradCheck.check("maxPool2d stride/pad", in -> PoolOps.maxPool2d(in[0], p(3, 2), p(2, 1), p(1, 1)), noTies(1, 2, 7, 5));
        GradCheck.check("avgPool2d", in -> in[0].avgPool2d(3, 2, 1), rand(2, 2, 7, 6));
        GradCheck.check("avgPool2d non-contiguous", in -> in[0].avgPool2d(2), randPermuted(2, 3, 4, 4));
        GradCheck.check("adaptiveAvgPool2d", in -> in[0].adaptiveAvgPool2d(3, 2), rand(2, 2, 5, 7));
        GradCheck.check("maxPool1d", in -> PoolOps.maxPool1d(in[0], 3, 2, 1), noTies(2, 2, 9));
        GradCheck.check("avgPool1d", in -> PoolOps.avgPool1d(in[0], 2, 2, 0), rand(2, 2, 9));
        GradCheck.check("adaptiveAvgPool1d", in -> PoolOps.adaptiveAvgPool1d(in[0], 4), rand(2, 2, 9));
    }

    @Test
    void poolingValues() {
        Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4);
        assertThat(x.maxPool2d(2).toFloatArray()).containsExactly(5, 7, 13, 15);
        assertThat(x.avgPool2d(2).toFloatArray()).containsExactly(2.5f, 4.5f, 10.5f, 12.5f);
        // count_include_pad: corner window 3x3 around (0,0) holds 0,1,4,5 and five zeros
        assertThat(x.avgPool2d(3, 3, 1).get(0, 0, 0, 0)).isEqualTo(10f / 9f);
        assertThat(x.adaptiveAvgPool2d(1, 1).item()).isEqualTo(7.5f);
    }

    @Test
    void normGradients() {
        GradCheck.check("layerNorm", in -> in[0].layerNorm(p(5), in[1], in[2], 1e-5f), rand(3, 5), rand(5), rand(5));
        GradCheck.check("layerNorm 2 dims, no affine", in -> in[0].layerNorm(p(3, 4), null, null, 1e-5f), rand(2, 3, 4));
        GradCheck.check("layerNorm non-contiguous", in -> in[0].layerNorm(p(5), in[1], null, 1e-5f),
                randPermuted(2, 3, 4, 5), rand(5));
        GradCheck.check("rmsNorm", in -> in[0].rmsNorm(in[1], 1e-6f), rand(4, 6), rand(6));
        GradCheck.check("rmsNorm no weight", in -> in[0].rmsNorm(null, 1e-6f), rand(2, 3, 5));
    }

    @Test
    void batchNormGradientsTrainAndEval() {
        GradCheck.check("batchNorm train 4d", in -> in[0].batchNorm(null, null, in[1], in[2], true, 0.1f, 1e-5f),
                rand(3, 2, 3, 2), rand(2), rand(2));
        GradCheck.check("batchNorm train 2d non-contiguous",
                in -> in[0].batchNorm(null, null, in[1], null, true, 0.1f, 1e-5f),
                rand(3, 5).t().detach().requiresGrad(true), rand(3));
        Tensor rm = Tensor.of(new float[] {0.1f, -0.2f}, 2);
        Tensor rv = Tensor.of(new float[] {0.5f, 1.5f}, 2);
        GradCheck.check("batchNorm eval", in -> in[0].batchNorm(rm, rv, in[1], in[2], false, 0.1f, 1e-5f),
                rand(2, 2, 3), rand(2), rand(2));
        assertThat(rm.toFloatArray()).containsExactly(0.1f, -0.2f);
    }

    @Test
    void batchNormUpdatesRunningStatsLikePyTorch() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 5}, 4, 1);
        Tensor rm = Tensor.zeros(1);
        Tensor rv = Tensor.ones(1);
        Tensor y = x.batchNorm(rm, rv, null, null, true, 0.1f, 0f);
        // mean 2.75, biased var 2.1875, unbiased var 2.916667
        assertThat(rm.item()).isCloseTo(0.275f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(rv.item()).isCloseTo(0.9f + 0.2916667f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(y.get(0, 0)).isCloseTo((float) ((1 - 2.75) / Math.sqrt(2.1875)), org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void errorsNameWhatWasReceivedAndExpected() {
        assertThatThrownBy(() -> Tensor.zeros(8, 3, 32, 32).conv2d(Tensor.zeros(16, 4, 3, 3), null))
                .hasMessage("conv2d: input [8,3,32,32] has 3 channels, weight [16,4,3,3] expects 4 (groups 1)");
        assertThatThrownBy(() -> Tensor.zeros(1, 3, 4, 4).conv2d(Tensor.zeros(2, 3, 7, 7), null, 1, 1))
                .hasMessage("conv2d: kernel 7x7 (dilated) is larger than the padded input 6x6 of input [1,3,4,4]");
        assertThatThrownBy(() -> Tensor.zeros(1, 3, 4, 4).conv2d(Tensor.zeros(2, 3, 3, 3), null, 0, 1))
                .hasMessage("conv2d: stride [0,0], expected two values >= 1");
        assertThatThrownBy(() -> ConvOps.conv2d(Tensor.zeros(1, 6, 4, 4), Tensor.zeros(3, 3, 1, 1), null,
                p(1, 1), p(0, 0), p(1, 1), 2))
                .hasMessage("conv2d: 6 input and 3 output channels are not both divisible by groups 2");
        assertThatThrownBy(() -> Tensor.zeros(1, 3, 4, 4).conv2d(Tensor.zeros(2, 3, 3, 3), Tensor.zeros(3)))
                .hasMessage("conv2d: bias [3], expected [2]");
        assertThatThrownBy(() -> Tensor.zeros(3, 4).conv2d(Tensor.zeros(2, 3, 3, 3), null))
                .hasMessage("conv2d: input [3,4] has rank 2, expected [N,C,H,W]");
        assertThatThrownBy(() -> Tensor.zeros(2, 3, 10).conv1d(Tensor.zeros(4, 2, 3), null, 1, 0))
                .hasMessage("conv1d: input [2,3,10] has 3 channels, weight [4,2,3] expects 2 (groups 1)");
        assertThatThrownBy(() -> Tensor.zeros(1, 1, 3, 3).maxPool2d(4))
                .hasMessage("maxPool2d: kernel [4,4] is larger than the padded input 3x3 of input [1,1,3,3]");
        assertThatThrownBy(() -> Tensor.zeros(2, 5).layerNorm(p(4), null, null, 1e-5f))
                .hasMessage("layerNorm: input [2,5] does not end with normalized shape [4]");
        assertThatThrownBy(() -> Tensor.zeros(2, 5).rmsNorm(Tensor.zeros(4), 1e-5f))
                .hasMessage("rmsNorm: weight [4], expected [5]");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).batchNorm(null, null, Tensor.zeros(2), null, true, 0.1f, 1e-5f))
                .hasMessage("batchNorm: weight [2], expected [3]");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).batchNorm(null, null, null, null, false, 0.1f, 1e-5f))
                .hasMessageStartingWith("batchNorm: evaluation mode without running statistics");
    }
}
