package dev.jumbo.tensor;

import static dev.jumbo.tensor.ElementwiseOpsTest.leaf;
import static dev.jumbo.tensor.ElementwiseOpsTest.transposedLeaf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReduceOpsTest {

    /** Distinct values (a shuffled arange), so max/min have no ties and finite differences are valid. */
    static Tensor distinct(long seed, int... shape) {
        int n = Shapes.numel(shape);
        int[] perm = Tensor.randperm(new Rng(seed), n).toIntArray();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = perm[i] * 0.37f - n * 0.1f;
        }
        return Tensor.of(v, shape).requiresGrad(true);
    }

    @Test
    void sumAndMeanValuesOverAxesAndWhole() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        assertThat(x.sum().item()).isEqualTo(276f);
        assertThat(x.sum(1, false).shape()).containsExactly(2, 4);
        assertThat(x.sum(1, false).get(1, 2)).isEqualTo(14 + 18 + 22);
        assertThat(x.sum(new int[] {0, 2}, true).shape()).containsExactly(1, 3, 1);
        assertThat(x.sum(new int[] {0, 2}, false).toFloatArray()).containsExactly(60, 92, 124);
        assertThat(x.sum(-1, false).get(0, 0)).isEqualTo(6);
        assertThat(x.mean(new int[] {1, 2}, false).toFloatArray()).containsExactly(5.5f, 17.5f);
        assertThat(x.permute(2, 0, 1).sum(0, false).get(1, 2)).isEqualTo(x.sum(2, false).get(1, 2));
    }

    @Test
    void reductionGradients() {
        GradCheck.check("sum axis 1", in -> in[0].sum(1, false), leaf(1, -1, 1, 3, 4, 5));
        GradCheck.check("sum axes 0,2 keepdim", in -> in[0].sum(new int[] {0, 2}, true), leaf(2, -1, 1, 3, 4, 5));
        GradCheck.check("sum transposed", in -> in[0].sum(0, false), transposedLeaf(3, -1, 1, 4, 6));
        GradCheck.check("sum whole", in -> in[0].sum(), transposedLeaf(3, -1, 1, 4, 6));
        GradCheck.check("mean axes", in -> in[0].mean(new int[] {-1, 0}, false), leaf(4, -1, 1, 3, 4, 5));
        GradCheck.check("max axis 1", in -> in[0].max(1, true), distinct(5, 3, 4, 5));
        GradCheck.check("min axis 0", in -> in[0].min(0, false), distinct(6, 3, 4, 5));
        GradCheck.check("max axes 0,2", in -> in[0].max(new int[] {0, 2}, false), distinct(7, 3, 4, 5));
        GradCheck.check("max whole", in -> in[0].max(), distinct(8, 4, 5));
        GradCheck.check("var axis 1 unbiased", in -> in[0].var(1, false, true), leaf(9, -1, 1, 3, 6, 2));
        GradCheck.check("var axes 0,2 biased", in -> in[0].var(new int[] {0, 2}, true, false), leaf(10, -1, 1, 3, 6, 2));
        GradCheck.check("var whole transposed", in -> in[0].var(true), transposedLeaf(11, -1, 1, 5, 3));
        GradCheck.check("logsumexp axis 0", in -> in[0].logsumexp(0, false), leaf(12, -2, 2, 4, 3));
        GradCheck.check("logsumexp axes 0,2", in -> in[0].logsumexp(new int[] {0, 2}, true), leaf(13, -2, 2, 3, 2, 4));
        GradCheck.check("softmax last", in -> in[0].softmax(-1), leaf(14, -2, 2, 3, 5));
        GradCheck.check("softmax axis 0 transposed", in -> in[0].softmax(0), transposedLeaf(15, -2, 2, 6, 4));
        GradCheck.check("logSoftmax last", in -> in[0].logSoftmax(1), leaf(16, -2, 2, 3, 5));
        GradCheck.check("logSoftmax middle", in -> in[0].logSoftmax(1), leaf(17, -2, 2, 2, 5, 3));
    }

    @Test
    void maxMinArgmaxValuesTiesAndNaN() {
        Tensor x = Tensor.of(new float[] {1, 7, 7, 3, -2, 0}, 2, 3);
        assertThat(x.max(1, false).toFloatArray()).containsExactly(7, 3);
        assertThat(x.argmax(1, false).toIntArray()).containsExactly(1, 0);
        assertThat(x.argmin(0, true).shape()).containsExactly(1, 3);
        assertThat(x.argmin(0, true).toIntArray()).containsExactly(0, 1, 1);
        assertThat(x.argmax().item()).isEqualTo(1f);
        assertThat(x.argmax().dtype()).isEqualTo(DType.INT32);
        assertThat(x.min().item()).isEqualTo(-2f);
        Tensor t = x.requiresGrad(true);
        t.max(1, false).sum().backward();
        assertThat(t.grad().toFloatArray()).containsExactly(0, 1, 0, 1, 0, 0); // tie -> first
        Tensor n = Tensor.vector(1, Float.NaN, 5);
        assertThat(n.max().item()).isNaN();
        assertThat(n.argmax().item()).isEqualTo(1f);
        assertThat(n.argmin().item()).isEqualTo(1f);
    }

    /** Found by bench conformance: PyTorch shares the gradient of max()/min()/amax among ties. */
    @Test
    void wholeAndMultiAxisExtremesShareTheGradientAmongTies() {
        Tensor x = Tensor.of(new float[] {1, 7, 7, 3, -2, 7}, 2, 3).requiresGrad(true);
        x.max().backward(Tensor.scalar(3f));
        assertThat(x.grad().toFloatArray()).containsExactly(0, 1, 1, 0, 0, 1);
        Tensor m = Tensor.of(new float[] {-2, 7, -2, 3, 0, 4}, 2, 3).t().detach().requiresGrad(true); // [3,2]
        m.min().backward(Tensor.scalar(1f));
        assertThat(m.grad().toFloatArray()).containsExactly(0.5f, 0, 0, 0, 0.5f, 0);
        Tensor a = Tensor.of(new float[] {5, 9, 1, 2, 9, 9, 9, 0}, 2, 2, 2).requiresGrad(true);
        a.max(new int[] {0, 2}, false).backward(Tensor.vector(3f, 3f)); // 9 three times in slice 0, once in 1
        assertThat(a.grad().toFloatArray()).containsExactly(0, 1, 0, 0, 1, 1, 3, 0);
        Tensor one = Tensor.of(new float[] {4, 4, 1}, 3).requiresGrad(true);
        one.max(0, false).backward(Tensor.scalar(1f));
        assertThat(one.grad().toFloatArray()).containsExactly(1, 0, 0); // one axis: first maximum, as max(dim)
    }

    @Test
    void varMatchesTwoPassReference() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 2, 4);
        assertThat(x.var(1, false, true).toFloatArray()).containsExactly(new float[] {5f / 3, 500f / 3}, within(1e-5f));
        assertThat(x.var(1, false, false).toFloatArray()).containsExactly(1.25f, 125f);
        assertThat(x.var(0, false, false).toFloatArray()).containsExactly(20.25f, 81f, 182.25f, 324f);
        // large offset: a one-pass E[x²]-E[x]² would lose everything here
        Tensor big = Tensor.vector(1e4f + 1, 1e4f + 2, 1e4f + 3);
        assertThat(big.var(true).item()).isCloseTo(1f, within(1e-3f));
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        Tensor x = Tensor.vector(1000, 1001, 1002);
        float[] p = x.softmax(0).toFloatArray();
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(1e-6f));
        assertThat(x.logSoftmax(0).get(2)).isCloseTo(-0.40760596f, within(1e-4f)); // ulp of 1000 is 6e-5
        assertThat(x.logsumexp(0, false).item()).isCloseTo(1002.407606f, within(1e-3f));
    }

    @Test
    void errorsNameOpAndAxis() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).sum(2, false))
                .hasMessage("sum: axis 2 is out of range for a tensor of rank 2, expected -2..1");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).max(new int[] {1, -1}, false))
                .hasMessageContaining("max: axes [1, -1] repeat axis 1");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).softmax(3)).hasMessageStartingWith("softmax: axis 3");
        assertThatThrownBy(() -> Tensor.zeros(2, 0).max(1, false))
                .hasMessage("max: axes [1] of [2,0] hold no elements, expected a non-empty reduction");
        assertThat(Tensor.zeros(2, 0).sum(1, false).toFloatArray()).containsExactly(0, 0);
    }

    @Property(tries = 40)
    void softmaxRowsSumToOneAndLogsumexpMatchesNaive(@ForAll @IntRange(min = 1, max = 40) int rows,
                                                     @ForAll @IntRange(min = 1, max = 70) int cols,
                                                     @ForAll @IntRange(min = 0, max = 1) int axis) {
        Tensor x = Tensor.uniform(new Rng(rows * 100L + cols), -8f, 8f, rows, cols);
        Tensor s = x.softmax(axis).sum(axis, false);
        for (float v : s.toFloatArray()) {
            assertThat(v).isCloseTo(1f, within(2e-6f * (axis == 0 ? rows : cols) + 1e-6f));
        }
        float[] lse = x.logsumexp(axis, false).toFloatArray();
        float[] naive = x.exp().sum(axis, false).log().toFloatArray();
        for (int i = 0; i < lse.length; i++) {
            assertThat(lse[i]).isCloseTo(naive[i], within(1e-4f * Math.max(1, Math.abs(naive[i]))));
        }
    }

    @Property(tries = 30)
    void sumOverAnyAxesEqualsSumOfParts(@ForAll @IntRange(min = 1, max = 5) int a,
                                        @ForAll @IntRange(min = 1, max = 5) int b,
                                        @ForAll @IntRange(min = 1, max = 5) int c) {
        Tensor x = Tensor.uniform(new Rng(a * 31L + b * 7L + c), -1, 1, a, b, c);
        float total = x.sum().item();
        assertThat(x.sum(new int[] {0, 2}, false).sum().item()).isCloseTo(total, within(1e-4f));
        assertThat(x.sum(1, true).sum(new int[] {0, 1, 2}, false).item()).isCloseTo(total, within(1e-4f));
    }
}
