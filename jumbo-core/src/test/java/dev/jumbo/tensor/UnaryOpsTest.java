package dev.jumbo.tensor;

import static dev.jumbo.tensor.ElementwiseOpsTest.leaf;
import static dev.jumbo.tensor.ElementwiseOpsTest.transposedLeaf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class UnaryOpsTest {

    /** Ops with a kink are checked on inputs away from it (|x| >= 0.25, see {@link #awayFromZero}). */
    static final Map<String, UnaryOperator<Tensor>> SMOOTH = Map.ofEntries(
            Map.entry("exp", Tensor::exp), Map.entry("tanh", Tensor::tanh), Map.entry("sigmoid", Tensor::sigmoid),
            Map.entry("gelu", Tensor::gelu), Map.entry("geluTanh", Tensor::geluTanh), Map.entry("silu", Tensor::silu),
            Map.entry("square", Tensor::square), Map.entry("neg", Tensor::neg),
            Map.entry("relu", Tensor::relu), Map.entry("leakyRelu", t -> t.leakyRelu(0.1f)),
            Map.entry("abs", Tensor::abs), Map.entry("clamp", t -> t.clamp(-1f, 1.5f)));

    static final Map<String, UnaryOperator<Tensor>> POSITIVE = Map.of(
            "log", Tensor::log, "sqrt", Tensor::sqrt, "rsqrt", Tensor::rsqrt,
            "pow 1.7", t -> t.pow(1.7f), "pow -0.5", t -> t.pow(-0.5f), "pow 3", t -> t.pow(3f));

    /** Values in [-3,-0.25] U [0.25,3]: away from the kinks of relu/abs and the clamp bounds ±0.01. */
    static Tensor awayFromZero(long seed, int... shape) {
        Tensor u = Tensor.uniform(new Rng(seed), 0.25f, 3f, shape);
        Tensor sign = Tensor.bernoulli(new Rng(seed + 1), 0.5f, shape).mul(2f).sub(1f);
        float[] v = u.mul(sign).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - 1.5f) < 0.05f || Math.abs(v[i] + 1f) < 0.05f) {
                v[i] += 0.1f;
            }
        }
        return Tensor.of(v, shape);
    }

    @Test
    void gradientsOnContiguousAndTransposedInputs() {
        SMOOTH.forEach((name, f) -> {
            GradCheck.check(name, in -> f.apply(in[0]), awayFromZero(1, 3, 5).requiresGrad(true));
            GradCheck.check(name + " transposed", in -> f.apply(in[0]),
                    awayFromZero(2, 17, 3).t().detach().requiresGrad(true));
        });
        POSITIVE.forEach((name, f) -> {
            GradCheck.check(name, in -> f.apply(in[0]), leaf(3, 0.5f, 3f, 4, 5));
            GradCheck.check(name + " transposed", in -> f.apply(in[0]), transposedLeaf(4, 0.5f, 3f, 7, 3));
        });
    }

    @Test
    void valuesMatchScalarMath() {
        Tensor x = Tensor.vector(-2f, -0.5f, 0f, 0.5f, 2f);
        float[] gelu = x.gelu().toFloatArray();
        float[] silu = x.silu().toFloatArray();
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            double erf = dev.jumbo.kernels.Erf.erf(v[i] / Math.sqrt(2));
            assertThat((double) gelu[i]).isCloseTo(0.5 * v[i] * (1 + erf), within(1e-6));
            assertThat((double) silu[i]).isCloseTo(v[i] / (1 + Math.exp(-v[i])), within(1e-6));
        }
        assertThat(x.relu().toFloatArray()).containsExactly(0, 0, 0, 0.5f, 2);
        assertThat(x.leakyRelu(0.1f).toFloatArray()).containsExactly(-0.2f, -0.05f, 0, 0.5f, 2);
        assertThat(x.clamp(-1, 1).toFloatArray()).containsExactly(-1, -0.5f, 0, 0.5f, 1);
        assertThat(x.abs().toFloatArray()).containsExactly(2, 0.5f, 0, 0.5f, 2);
        assertThat(Tensor.vector(4f).rsqrt().item()).isEqualTo(0.5f);
        assertThat(Tensor.vector(Float.NaN).relu().item()).isNaN();
    }

    @Test
    void reluGradientIsZeroAtZeroAndBackwardReachesThroughViews() {
        Tensor x = Tensor.vector(-1, 0, 1).requiresGrad(true);
        x.relu().sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0, 0, 1);
    }

    @Test
    void clampRejectsInvertedBounds() {
        assertThatThrownBy(() -> Tensor.zeros(2).clamp(1f, 0f)).hasMessage("clamp: min 1.0 and max 0.0: expected min <= max");
    }
}
