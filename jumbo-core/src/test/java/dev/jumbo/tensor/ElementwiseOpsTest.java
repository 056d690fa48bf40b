package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.autograd.GradCheck;
import java.util.function.BinaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {

    /** A leaf with values in [lo, hi). */
    static Tensor leaf(long seed, float lo, float hi, int... shape) {
        return Tensor.uniform(new Rng(seed), lo, hi, shape).requiresGrad(true);
    }

    /** A non-contiguous leaf: the transpose of a [cols, rows] tensor. */
    static Tensor transposedLeaf(long seed, float lo, float hi, int rows, int cols) {
        return Tensor.uniform(new Rng(seed), lo, hi, cols, rows).t().detach().requiresGrad(true);
    }

    @Test
    void broadcastValuesMatchNaiveLoops() {
        Tensor a = Tensor.arange(12).reshape(3, 1, 4);
        Tensor b = Tensor.arange(8).reshape(2, 4);
        Tensor y = a.mul(b).add(1f);
        assertThat(y.shape()).containsExactly(3, 2, 4);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 4; k++) {
                    assertThat(y.get(i, j, k)).isEqualTo(a.get(i, 0, k) * b.get(j, k) + 1);
                }
            }
        }
        Tensor t = Tensor.arange(6).reshape(2, 3).t(); // non-contiguous operand
        assertThat(t.sub(Tensor.vector(1, 2)).toFloatArray()).containsExactly(-1, 1, 0, 2, 1, 3);
        assertThat(Tensor.scalar(10).div(Tensor.vector(2, 5)).toFloatArray()).containsExactly(5, 2);
    }

    @Test
    void gradientsOfBroadcastingBinaryOps() {
        BinaryOperator<Tensor>[] ops = ops();
        String[] names = {"add", "sub", "mul", "div", "pow", "maximum", "minimum"};
        for (int k = 0; k < ops.length; k++) {
            BinaryOperator<Tensor> f = ops[k];
            GradCheck.check(names[k] + " [3,1,4]x[2,4]", in -> f.apply(in[0], in[1]),
                    leaf(1, 0.5f, 2f, 3, 1, 4), leaf(2, 0.5f, 2f, 2, 4));
            GradCheck.check(names[k] + " scalar x matrix", in -> f.apply(in[0], in[1]),
                    leaf(3, 0.5f, 2f), leaf(4, 0.5f, 2f, 3, 5));
            GradCheck.check(names[k] + " transposed x column", in -> f.apply(in[0], in[1]),
                    transposedLeaf(5, 0.5f, 2f, 4, 3), leaf(6, 0.5f, 2f, 4, 1));
            Tensor wide = leaf(7, 0.5f, 2f, 3, 6);
            Tensor narrowed = wide.narrow(1, 1, 4).detach().requiresGrad(true);
            GradCheck.check(names[k] + " narrowed x same", in -> f.apply(in[0], in[1]),
                    narrowed, leaf(8, 0.5f, 2f, 3, 4));
        }
    }

    @SuppressWarnings("unchecked")
    private static BinaryOperator<Tensor>[] ops() {
        return new BinaryOperator[] {
            (BinaryOperator<Tensor>) Tensor::add, (BinaryOperator<Tensor>) Tensor::sub,
            (BinaryOperator<Tensor>) Tensor::mul, (BinaryOperator<Tensor>) Tensor::div,
            (BinaryOperator<Tensor>) Tensor::pow, (BinaryOperator<Tensor>) Tensor::maximum,
            (BinaryOperator<Tensor>) Tensor::minimum};
    }

    @Test
    void gradientsOfScalarVariants() {
        Tensor x = transposedLeaf(9, -2f, 2f, 5, 3);
        GradCheck.check("add/sub/mul/div float", in -> in[0].add(2f).mul(3f).sub(1f).div(4f).neg(), x);
        GradCheck.check("rsub/rdiv", in -> ElementwiseOps.rdiv(1f, ElementwiseOps.rsub(5f, in[0])), x);
    }

    @Test
    void maximumSplitsTiesLikePyTorch() {
        Tensor a = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor b = Tensor.vector(3, 2, 1).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertThat(a.grad().toFloatArray()).containsExactly(0, 0.5f, 1);
        assertThat(b.grad().toFloatArray()).containsExactly(1, 0.5f, 0);
    }

    @Test
    void comparisonsReturnFloatMasksWithoutGradient() {
        Tensor a = Tensor.vector(1, 2, Float.NaN).requiresGrad(true);
        Tensor b = Tensor.vector(2, 2, 2);
        assertThat(a.lt(b).toFloatArray()).containsExactly(1, 0, 0);
        assertThat(a.le(b).toFloatArray()).containsExactly(1, 1, 0);
        assertThat(a.eq(b).toFloatArray()).containsExactly(0, 1, 0);
        assertThat(a.ne(b).toFloatArray()).containsExactly(1, 0, 1);
        assertThat(a.gt(1f).toFloatArray()).containsExactly(0, 1, 0);
        assertThat(a.ge(2f).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(a.ge(2f).requiresGrad()).isFalse();
        Tensor col = Tensor.vector(1, 3).reshape(2, 1);
        assertThat(col.gt(Tensor.vector(0, 2, 4)).toFloatArray()).containsExactly(1, 0, 0, 1, 1, 0);
    }

    @Test
    void whereAndMaskedFillAcceptFloatAndIntMasks() {
        Tensor x = Tensor.of(new float[] {1, -2, 3, -4, 5, -6}, 2, 3);
        Tensor relu = Tensor.where(x.gt(0f), x, Tensor.scalar(0));
        assertThat(relu.toFloatArray()).containsExactly(1, 0, 3, 0, 5, 0);
        Tensor intMask = Tensor.ofInts(new int[] {0, 7, 0}, 3);
        assertThat(x.maskedFill(intMask, -1e9f).toFloatArray()).containsExactly(1, -1e9f, 3, -4, -1e9f, -6);
        GradCheck.check("where", in -> Tensor.where(Tensor.ofInts(new int[] {1, 0, 1, 1}, 4, 1), in[0], in[1]),
                leaf(1, -1f, 1f, 1, 3), leaf(2, -1f, 1f, 4, 3));
        GradCheck.check("maskedFill", in -> in[0].maskedFill(Tensor.vector(0, 1, 0), 2f),
                transposedLeaf(3, -1f, 1f, 4, 3));
        assertThatThrownBy(() -> Tensor.zeros(3).maskedFill(Tensor.zeros(2, 3), 0f))
                .hasMessageContaining("maskedFill: mask [2,3] for a tensor [3]");
    }

    @Test
    void intTensorsAreConvertedToFloat() {
        Tensor i = Tensor.ofInts(new int[] {1, 2, 3}, 3);
        Tensor y = i.mul(2.5f);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(y.toFloatArray()).containsExactly(2.5f, 5f, 7.5f);
        assertThat(i.add(Tensor.vector(0.5f, 0.5f, 0.5f)).toFloatArray()).containsExactly(1.5f, 2.5f, 3.5f);
    }

    @Test
    void errorsNameTheOpAndShapes() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("add: shapes [2,3] and [4] cannot be broadcast");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).lt(Tensor.zeros(3, 2)))
                .hasMessageStartingWith("lt: shapes [2,3] and [3,2] cannot be broadcast");
    }

    @Test
    void largeOperandsTakeTheParallelPathWithTheSameValues() {
        Tensor a = Tensor.randn(new Rng(1), 300, 1000);
        Tensor b = Tensor.randn(new Rng(2), 1000);
        float[] y = a.add(b).toFloatArray();
        float[] ad = a.toFloatArray();
        float[] bd = b.toFloatArray();
        for (int i = 0; i < y.length; i += 997) {
            assertThat(y[i]).isEqualTo(ad[i] + bd[i % 1000]);
        }
    }

    @Test
    void profilerCountsForwardAndBackwardWorkOnceEach() {
        Tensor a = leaf(1, 0.5f, 2f, 3, 1, 4);
        Tensor b = leaf(2, 0.5f, 2f, 2, 4);
        try (Profiler prof = Profiler.start(false)) {
            a.mul(b).sum().backward();
            Profiler.Report r = prof.report();
            assertThat(r.op("mul").calls()).isEqualTo(1); // backward work is not counted as forward muls
            assertThat(r.op("mul").flops()).isEqualTo(24);
            // g*b and g*a (24 each), then each summed back to its input's shape (24 each)
            assertThat(r.op("mul.backward").flops()).isEqualTo(96);
            assertThat(r.op("sum").flops()).isEqualTo(24);
            assertThat(r.op("sum.backward").flops()).isEqualTo(24);
            assertThat(r.totalMacs()).isZero();
        }
    }

    @Property(tries = 60)
    void broadcastShapeIsElementwiseMaxWhereCompatible(@ForAll @IntRange(min = 1, max = 4) int d0,
                                                       @ForAll @IntRange(min = 1, max = 4) int d1,
                                                       @ForAll @IntRange(min = 0, max = 3) int drop) {
        int[] a = {d0, 1, d1};
        int[] b = drop == 0 ? new int[] {d1} : new int[] {drop, d1};
        int[] out = Shapes.broadcast("p", a, b);
        Tensor y = Tensor.ones(a).add(Tensor.ones(b));
        assertThat(y.shape()).containsExactly(out);
        assertThat(out[1]).isEqualTo(drop == 0 ? 1 : drop);
        assertThat(y.sum().item()).isEqualTo(2f * Shapes.numel(out));
    }
}
