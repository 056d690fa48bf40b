package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.autograd.GradCheck;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private static Tensor iota(int... shape) {
        return Tensor.arange(Shapes.numel(shape)).reshape(shape);
    }

    @Test
    void reshapeOfContiguousSharesStorage() {
        Tensor a = iota(2, 3);
        Tensor b = a.reshape(3, -1);
        assertThat(b.shape()).containsExactly(3, 2);
        assertThat(b.sharesStorage(a)).isTrue();
    }

    @Test
    void transposeIsAViewAndContiguousCopiesInRowMajorOrder() {
        Tensor a = iota(2, 3);
        Tensor t = a.t();
        assertThat(t.sharesStorage(a)).isTrue();
        assertThat(t.isContiguous()).isFalse();
        assertThat(t.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(t.contiguous().isContiguous()).isTrue();
    }

    @Test
    void permuteNarrowSelectExpand() {
        Tensor a = iota(2, 3, 4);
        Tensor p = a.permute(2, 0, 1);
        assertThat(p.shape()).containsExactly(4, 2, 3);
        assertThat(p.get(3, 1, 2)).isEqualTo(a.get(1, 2, 3));
        Tensor n = a.narrow(2, 1, 2);
        assertThat(n.shape()).containsExactly(2, 3, 2);
        assertThat(n.get(1, 2, 1)).isEqualTo(a.get(1, 2, 2));
        assertThat(a.select(0, 1).get(0, 0)).isEqualTo(12f);
        Tensor e = Tensor.vector(1, 2, 3).unsqueeze(0).expand(4, 3);
        assertThat(e.toFloatArray()).containsExactly(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3);
        assertThat(a.slice(1, -2, 3).shape()).containsExactly(2, 2, 4);
    }

    @Test
    void squeezeUnsqueezeRoundTripOnNonContiguousView() {
        Tensor a = iota(3, 4).t();
        Tensor u = a.unsqueeze(1);
        assertThat(u.shape()).containsExactly(4, 1, 3);
        assertThat(u.squeeze(1).toFloatArray()).containsExactly(a.toFloatArray());
    }

    @Test
    void viewGradientsFlowBack() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        GradCheck.check("transpose+narrow+expand",
                in -> in[0].t().narrow(0, 1, 2).unsqueeze(0).expand(2, 2, 2).reshape(8).contiguous(), a);
        // column 0 of a was narrowed away: no gradient reaches it
        assertThat(a.grad().get(0, 0)).isZero();
        assertThat(a.grad().get(1, 0)).isZero();
        assertThat(a.grad().get(0, 1)).isNotZero();
    }

    @Test
    void backwardReleasesTheTape() {
        Tensor a = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor y = a.reshape(3, 1).expand(3, 2).sumTo(1, 2);
        y.backward(Tensor.ones(1, 2));
        assertThat(a.grad().toFloatArray()).containsExactly(2, 2, 2);
        assertThatThrownBy(() -> y.backward(Tensor.ones(1, 2)))
                .hasMessageContaining("already freed");
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        a.reshape(2, 1).backward(Tensor.of(new float[] {1, 1}, 2, 1));
        a.reshape(2, 1).backward(Tensor.of(new float[] {2, 3}, 2, 1));
        assertThat(a.grad().toFloatArray()).containsExactly(3, 4);
    }

    @Test
    void noGradScopeRecordsNoTape() {
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        try (var ignored = Autograd.noGrad()) {
            assertThat(a.reshape(2, 1).requiresGrad()).isFalse();
        }
        assertThat(a.reshape(2, 1).requiresGrad()).isTrue();
        assertThat(a.detach().requiresGrad()).isFalse();
    }

    @Test
    void errorsNameTheOpAndShapes() {
        assertThatThrownBy(() -> iota(2, 3).reshape(4, 2))
                .hasMessage("reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)");
        assertThatThrownBy(() -> iota(2, 3).expand(4, 3))
                .hasMessageContaining("expand: [2,3] to [4,3]");
        assertThatThrownBy(() -> Shapes.broadcast("add", new int[] {2, 3}, new int[] {4}))
                .hasMessageStartingWith("add: shapes [2,3] and [4] cannot be broadcast");
    }

    @Test
    void profilerTracksPeakLiveMemory() {
        try (Profiler p = Profiler.start()) {
            Tensor a = Tensor.zeros(1000);
            Tensor b = Tensor.zeros(2000);
            Profiler.record("test", 10, 20);
            assertThat(p.report().peakLiveBytes()).isEqualTo(12_000);
            assertThat(a.numel() + b.numel()).isEqualTo(3000);
        }
        try (Profiler p = Profiler.start()) {
            for (int i = 0; i < 5; i++) {
                Tensor.zeros(1000); // dies at once: the peak must not sum dead tensors
            }
            assertThat(p.report().peakLiveBytes()).isEqualTo(4_000);
            assertThat(p.report().allocatedBytes()).isEqualTo(20_000);
        }
    }

    @Test
    void inputsThatReceiveTheSameGradientTensorAccumulateSeparately() {
        // add's backward hands one gradient tensor to both inputs; each leaf must own its copy
        Tensor a = Tensor.vector(1, 2).requiresGrad(true);
        Tensor b = Tensor.vector(3, 4).requiresGrad(true);
        a.add(b).sum().backward();
        a.add(b).sum().backward();
        assertThat(a.grad().toFloatArray()).containsExactly(2, 2);
        assertThat(b.grad().toFloatArray()).containsExactly(2, 2);
    }
}
