package dev.jumbo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClipTest {

    static Tensor withGrad(float... g) {
        Tensor p = Tensor.zeros(g.length).requiresGrad(true);
        p.setGrad(Tensor.vector(g));
        return p;
    }

    @Test
    void clipByTwoNormScalesByMaxOverTotalPlusEpsilon() {
        Tensor a = withGrad(3, 4);
        Tensor b = withGrad(12);
        Tensor none = Tensor.zeros(2).requiresGrad(true);
        float total = GradClip.clipGradNorm(List.of(a, b, none), 1.0, 2);
        assertThat(total).isEqualTo(13f);
        float coef = 1f / (13f + 1e-6f);
        assertThat(a.grad().toFloatArray()).containsExactly(3 * coef, 4 * coef);
        assertThat(b.grad().toFloatArray()).containsExactly(12 * coef);
        assertThat(none.grad()).isNull();
    }

    @Test
    void normsBelowTheLimitStayAndInfinityNormIsMaxAbs() {
        Tensor a = withGrad(0.3f, -0.4f);
        assertThat(GradClip.clipGradNorm(List.of(a), 1.0, 2)).isCloseTo(0.5f, within(1e-7f));
        assertThat(a.grad().toFloatArray()).containsExactly(0.3f, -0.4f);
        Tensor b = withGrad(1, -5, 2);
        Tensor c = withGrad(3);
        assertThat(GradClip.clipGradNorm(List.of(b, c), 2.5, Double.POSITIVE_INFINITY)).isEqualTo(5f);
        float coef = 2.5f / (5f + 1e-6f);
        assertThat(b.grad().toFloatArray()).containsExactly(coef, -5 * coef, 2 * coef);
        Tensor d = withGrad(1, -2, 2);
        assertThat(GradClip.clipGradNorm(List.of(d), 100, 1)).isEqualTo(5f);
    }

    @Test
    void largeGradientsMatchAFloat64Norm() {
        int n = 100_003;
        float[] g = new float[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            g[i] = (float) Math.sin(i * 0.37);
            s += (double) g[i] * g[i];
        }
        Tensor p = withGrad(g);
        assertThat((double) GradClip.clipGradNorm(List.of(p), 1e9, 2)).isCloseTo(Math.sqrt(s), within(1e-6 * Math.sqrt(s)));
    }

    @Test
    void aGradientSharedByTwoParametersIsClippedOnce() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(2).requiresGrad(true);
        Tensor shared = Tensor.vector(3, 4);
        a.setGrad(shared);
        b.setGrad(shared);
        float total = GradClip.clipGradNorm(List.of(a, b), 1, 2);
        assertThat(total).isCloseTo((float) Math.sqrt(50), within(1e-5f));
        float coef = 1f / (total + 1e-6f);
        assertThat(a.grad().toFloatArray()).containsExactly(3 * coef, 4 * coef);
        assertThat(b.grad().toFloatArray()).containsExactly(3 * coef, 4 * coef);
    }

    @Test
    void nonFiniteNormPropagatesLikePyTorch() {
        Tensor a = withGrad(Float.NaN, 1);
        assertThat(GradClip.clipGradNorm(List.of(a), 1, 2)).isNaN();
        assertThat(a.grad().toFloatArray()[1]).isNaN();
    }

    @Test
    void clipByValueAndErrors() {
        Tensor a = withGrad(-3, 0.5f, 7);
        GradClip.clipGradValue(List.of(a), 1);
        assertThat(a.grad().toFloatArray()).containsExactly(-1, 0.5f, 1);
        assertThatThrownBy(() -> GradClip.clipGradValue(List.of(a), -1)).hasMessageContaining("clipValue = -1");
        assertThatThrownBy(() -> GradClip.clipGradNorm(List.of(a), 1, 0)).hasMessageContaining("normType = 0");
        assertThat(GradClip.clipGradNorm(List.of(Tensor.zeros(1).requiresGrad(true)), 1, 2)).isZero();
    }
}
