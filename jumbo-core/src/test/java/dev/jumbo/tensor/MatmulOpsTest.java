package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatmulOpsTest {

    private final SplittableRandom rnd = new SplittableRandom(11);

    private Tensor rand(int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return Tensor.of(d, shape);
    }

    private Tensor param(int... shape) {
        return rand(shape).requiresGrad(true);
    }

    /** Naive torch.matmul on the promoted, broadcast shapes, computed with get() (strides honoured). */
    private static float ref(Tensor a, Tensor b, int[] aIdx, int[] bIdx, int ka) {
        double s = 0;
        for (int p = 0; p < ka; p++) {
            aIdx[aIdx.length - 1] = p;
            bIdx[bIdx.length - (b.dim() == 1 ? 1 : 2)] = p;
            s += (double) a.get(aIdx) * b.get(bIdx);
        }
        return (float) s;
    }

    @Test
    void shapesFollowTorchMatmul() {
        assertThat(rand(4).matmul(rand(4)).shape()).isEmpty();
        assertThat(rand(3, 4).matmul(rand(4)).shape()).containsExactly(3);
        assertThat(rand(4).matmul(rand(4, 5)).shape()).containsExactly(5);
        assertThat(rand(2, 3, 4).matmul(rand(4)).shape()).containsExactly(2, 3);
        assertThat(rand(4).matmul(rand(2, 4, 5)).shape()).containsExactly(2, 5);
        assertThat(rand(2, 1, 3, 4).matmul(rand(5, 4, 6)).shape()).containsExactly(2, 5, 3, 6);
    }

    @Test
    void batchedBroadcastValuesMatchNaiveLoops() {
        Tensor a = rand(2, 1, 3, 4);
        Tensor b = rand(5, 4, 6).transpose(1, 2).contiguous().transpose(1, 2); // non-contiguous view
        Tensor c = a.matmul(b);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                for (int r = 0; r < 3; r++) {
                    for (int q = 0; q < 6; q++) {
                        float e = ref(a, b, new int[] {i, 0, r, 0}, new int[] {j, 0, q}, 4);
                        assertThat(c.get(i, j, r, q)).isCloseTo(e, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void largeTransposedViewsUseThePackedKernelWithoutCopies() {
        Tensor a = rand(90, 70).t();            // [70,90], rows strided: transA
        Tensor b = rand(100, 90).t();           // [90,100]: transB
        Tensor c = a.matmul(b);
        for (int r = 0; r < 70; r += 13) {
            for (int q = 0; q < 100; q += 7) {
                assertThat(c.get(r, q)).isCloseTo(ref(a, b, new int[] {r, 0}, new int[] {0, q}, 90), within(1e-4f));
            }
        }
        Tensor y = Tensor.linear(rand(3, 40, 90), rand(100, 90), rand(100));
        assertThat(y.shape()).containsExactly(3, 40, 100);
    }

    @Test
    void dotAndMatrixVector() {
        Tensor a = Tensor.vector(1, 2, 3);
        Tensor b = Tensor.vector(4, 5, 6);
        assertThat(a.matmul(b).item()).isEqualTo(32f);
        Tensor m = Tensor.of(new float[] {1, 0, 0, 0, 2, 0}, 2, 3);
        assertThat(m.matmul(b).toFloatArray()).containsExactly(4f, 10f);
        assertThat(Tensor.vector(1, 1).matmul(m).toFloatArray()).containsExactly(1f, 2f, 0f);
    }

    @Test
    void errorsNameShapes() {
        assertThatThrownBy(() -> rand(64, 128).matmul(rand(256, 10)))
                .hasMessage("matmul: [64,128] x [256,10]: inner dimensions 128 and 256 differ");
        assertThatThrownBy(() -> Tensor.linear(rand(8, 5), rand(3, 4), null))
                .hasMessage("linear: input [8,5] x weight [3,4]: input features 5 and in_features 4 differ");
        assertThatThrownBy(() -> Tensor.linear(rand(8, 4), rand(3, 4), rand(4)))
                .hasMessage("linear: bias [4] for weight [3,4]: expected [3]");
    }

    @Test
    void linearMatchesMatmulWithTransposeAndBias() {
        Tensor x = rand(2, 3, 5);
        Tensor w = rand(4, 5);
        Tensor b = rand(4);
        Tensor y = Tensor.linear(x, w, b);
        assertThat(y.shape()).containsExactly(2, 3, 4);
        Tensor z = x.matmul(w.t());
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < 3; r++) {
                for (int o = 0; o < 4; o++) {
                    assertThat(y.get(i, r, o)).isCloseTo(z.get(i, r, o) + b.get(o), within(1e-5f));
                }
            }
        }
    }

    @Test
    void gradCheckMatmul2dAndTransposedInputs() {
        GradCheck.check("matmul 2d", in -> in[0].matmul(in[1]), param(3, 4), param(4, 5));
        Tensor at = rand(4, 3).t().detach().requiresGrad(true);  // [3,4], non-contiguous
        Tensor bt = rand(5, 4).t().detach().requiresGrad(true);  // [4,5], non-contiguous
        GradCheck.check("matmul transposed", in -> in[0].matmul(in[1]), at, bt);
    }

    @Test
    void gradCheckMatmulBroadcastBatchAndVectors() {
        GradCheck.check("matmul batch broadcast", in -> in[0].matmul(in[1]), param(2, 1, 3, 4), param(3, 4, 2));
        GradCheck.check("matmul batch x 2d", in -> in[0].matmul(in[1]), param(2, 3, 4), param(4, 2));
        Tensor bt = rand(3, 2, 4).transpose(1, 2).detach().requiresGrad(true); // [3,4,2], non-contiguous
        GradCheck.check("matmul 2d x batch transposed", in -> in[0].matmul(in[1]), param(3, 4), bt);
        GradCheck.check("matmul dot", in -> in[0].matmul(in[1]), param(5), param(5));
        GradCheck.check("matmul vec x batch", in -> in[0].matmul(in[1]), param(4), param(2, 4, 3));
        GradCheck.check("matmul batch x vec", in -> in[0].matmul(in[1]), param(2, 3, 4), param(4));
    }

    @Test
    void gradCheckLinear() {
        GradCheck.check("linear", in -> Tensor.linear(in[0], in[1], in[2]), param(3, 5), param(4, 5), param(4));
        GradCheck.check("linear 3d no bias", in -> Tensor.linear(in[0], in[1], null), param(2, 3, 5), param(4, 5));
        Tensor xt = rand(5, 3).t().detach().requiresGrad(true);   // [3,5], non-contiguous
        Tensor wt = rand(5, 4).t().detach().requiresGrad(true);   // [4,5], non-contiguous
        GradCheck.check("linear transposed", in -> Tensor.linear(in[0], in[1], in[2]), xt, wt, param(4));
        Tensor x3 = rand(2, 5, 3).transpose(1, 2).detach().requiresGrad(true); // [2,3,5], non-contiguous
        GradCheck.check("linear 3d transposed", in -> Tensor.linear(in[0], in[1], in[2]), x3, param(4, 5), param(4));
    }

    @Test
    void profilerCountsMacsAndBackward() {
        Tensor x = param(2, 3, 5);
        Tensor w = param(4, 5);
        Tensor b = param(4);
        try (Profiler p = Profiler.start()) {
            Tensor y = Tensor.linear(x, w, b);
            Tensor z = y.matmul(param(4, 7));
            z.backward(Tensor.ones(2, 3, 7));
            Profiler.Report r = p.report();
            assertThat(r.op("linear").macs()).isEqualTo(6L * 4 * 5);
            assertThat(r.op("linear").flops()).isEqualTo(2L * 6 * 4 * 5 + 6 * 4);
            assertThat(r.op("matmul").macs()).isEqualTo(6L * 4 * 7);
            assertThat(r.op("matmul.backward").macs()).isEqualTo(2L * 6 * 4 * 7);
            assertThat(r.op("linear.backward").macs()).isEqualTo(2L * 6 * 4 * 5);
            assertThat(r.op("linear.backward").flops()).isEqualTo(4L * 6 * 4 * 5 + 6 * 4);
        }
    }
}
