package dev.jumbo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OptimizersTest {
    static final int N = 37; // two 16-lane vectors and a 5-element tail
    static final int STEPS = 10;

    /** Runs the optimizer and the float64 reference side by side, comparing after every step. */
    static void trajectory(String name, Function<List<Tensor>, Optimizer> make, Reference.Step ref) {
        Problem prob = new Problem(name.hashCode(), N);
        Tensor p = prob.param();
        Optimizer opt = make.apply(List.of(p));
        double[] r = prob.initial();
        for (int t = 1; t <= STEPS; t++) {
            prob.backward(p);
            opt.step();
            opt.zeroGrad();
            ref.apply(r, prob.gradient(r), t);
            float[] got = p.toFloatArray();
            for (int i = 0; i < N; i++) {
                double tol = 1e-5 * Math.max(1, Math.abs(r[i]));
                if (!(Math.abs(got[i] - r[i]) <= tol)) {
                    throw new AssertionError(String.format("%s: step %d, element %d: got %.9g, reference %.9g",
                            name, t, i, got[i], r[i]));
                }
            }
        }
        assertThat(p.toFloatArray()).isNotEqualTo(prob.init); // it moved
    }

    @Test
    void sgdTrajectoriesMatchPyTorchsAlgorithm() {
        trajectory("sgd", ps -> new SGD(ps, 0.05), Reference.sgd(0.05, 0, 0, 0, false, N));
        trajectory("sgd momentum dampening wd", ps -> new SGD(SGD.options().lr(0.03).momentum(0.9).dampening(0.1)
                .weightDecay(0.01), ps), Reference.sgd(0.03, 0.9, 0.1, 0.01, false, N));
        trajectory("sgd nesterov", ps -> new SGD(SGD.options().lr(0.03).momentum(0.8).nesterov(true)
                .weightDecay(0.05), ps), Reference.sgd(0.03, 0.8, 0, 0.05, true, N));
    }

    @Test
    void adamTrajectoriesMatchPyTorchsAlgorithm() {
        trajectory("adam", ps -> new Adam(Adam.options().lr(0.05), ps),
                Reference.adam(0.05, 0.9, 0.999, 1e-8, 0, false, false, N));
        trajectory("adam wd amsgrad", ps -> new Adam(Adam.options().lr(0.05).betas(0.8, 0.5).weightDecay(0.1)
                .amsgrad(true), ps), Reference.adam(0.05, 0.8, 0.5, 1e-8, 0.1, false, true, N));
        trajectory("adam eps", ps -> new Adam(Adam.options().lr(0.02).eps(0.1), ps),
                Reference.adam(0.02, 0.9, 0.999, 0.1, 0, false, false, N));
    }

    @Test
    void adamWDecouplesWeightDecay() {
        trajectory("adamw", ps -> new AdamW(AdamW.options().lr(0.05).weightDecay(0.1), ps),
                Reference.adam(0.05, 0.9, 0.999, 1e-8, 0.1, true, false, N));
        trajectory("adamw amsgrad", ps -> new AdamW(AdamW.options().lr(0.05).betas(0.9, 0.5).amsgrad(true), ps),
                Reference.adam(0.05, 0.9, 0.5, 1e-8, 0.01, true, true, N));
        assertThat(AdamW.options().values()).containsEntry("weight_decay", 0.01);
    }

    @Test
    void rmspropTrajectoriesMatchPyTorchsAlgorithm() {
        trajectory("rmsprop", ps -> new RMSprop(RMSprop.options().lr(0.01), ps),
                Reference.rmsprop(0.01, 0.99, 1e-8, 0, 0, false, N));
        trajectory("rmsprop centered momentum wd", ps -> new RMSprop(RMSprop.options().lr(0.01).alpha(0.9)
                .momentum(0.5).centered(true).weightDecay(0.01), ps),
                Reference.rmsprop(0.01, 0.9, 1e-8, 0.01, 0.5, true, N));
    }

    @Test
    void paramGroupsUseTheirOwnOptions() {
        Problem prob = new Problem(5, N);
        Tensor fast = prob.param();
        Tensor slow = prob.param();
        SGD opt = new SGD(SGD.options().lr(0.1).momentum(0.9),
                new ParamGroup(List.of(fast)), new ParamGroup(List.of(slow)).set("lr", 0.01).set("momentum", 0));
        assertThat(opt.lr(0)).isEqualTo((float) 0.1);
        assertThat(opt.lr(1)).isEqualTo((float) 0.01);
        Reference.Step refFast = Reference.sgd(0.1, 0.9, 0, 0, false, N);
        Reference.Step refSlow = Reference.sgd(0.01, 0, 0, 0, false, N);
        double[] rf = prob.initial();
        double[] rs = prob.initial();
        for (int t = 1; t <= 5; t++) {
            prob.backward(fast);
            prob.backward(slow);
            opt.step();
            opt.zeroGrad();
            refFast.apply(rf, prob.gradient(rf), t);
            refSlow.apply(rs, prob.gradient(rs), t);
        }
        for (int i = 0; i < N; i++) {
            assertThat((double) fast.toFloatArray()[i]).isCloseTo(rf[i], org.assertj.core.api.Assertions.within(1e-5));
            assertThat((double) slow.toFloatArray()[i]).isCloseTo(rs[i], org.assertj.core.api.Assertions.within(1e-5));
        }
        Tensor late = Tensor.ones(2).requiresGrad(true);
        opt.addParamGroup(new ParamGroup(List.of(late)).set("momentum", 0));
        assertThat(opt.lr(2)).isEqualTo((float) 0.1);
        assertThat(opt.params()).hasSize(3);
        late.sum().backward();
        opt.step();
        assertThat(late.toFloatArray()).containsOnly(1f - (float) 0.1);
        opt.setLr(1, 0.5);
        assertThat(opt.paramGroups().get(1).lr()).isEqualTo(0.5);
        assertThat(opt.paramGroups().get(0).lr()).isEqualTo((float) 0.1);
    }

    @Test
    void parametersWithoutGradAreSkipped() {
        Tensor used = Tensor.ones(3).requiresGrad(true);
        Tensor unused = Tensor.ones(3).requiresGrad(true);
        Adam opt = new Adam(Adam.options().lr(0.1), List.of(used, unused));
        used.mul(2f).sum().backward();
        opt.step();
        assertThat(used.toFloatArray()).containsOnly(0.9f);
        assertThat(unused.toFloatArray()).containsOnly(1f);
        assertThat(opt.stepCount(0)).isEqualTo(1);
        assertThat(opt.stepCount(1)).isZero();
        assertThat(opt.stateDict()).containsKeys("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq")
                .doesNotContainKeys("state.1.step", "state.0.max_exp_avg_sq");
        opt.zeroGrad();
        assertThat(used.grad()).isNull();
    }

    @Test
    void errorsNameTheOptionValueAndGroup() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        assertThatThrownBy(() -> new SGD(ps, -0.1)).hasMessage("SGD: lr = -0.1 in param group 0: expected 0 <= lr");
        assertThatThrownBy(() -> new Adam(Adam.options().betas(1.0, 0.999), ps))
                .hasMessage("Adam: beta1 = 1 in param group 0: expected 0 <= beta1 < 1");
        assertThatThrownBy(() -> new Adam(Adam.options().betas(0.9, -0.5), ps))
                .hasMessageContaining("beta2 = -0.5");
        assertThatThrownBy(() -> new AdamW(AdamW.options().eps(-1), ps)).hasMessageContaining("AdamW: eps = -1");
        assertThatThrownBy(() -> new SGD(SGD.options().nesterov(true), ps))
                .hasMessageContaining("nesterov").hasMessageContaining("momentum = 0");
        assertThatThrownBy(() -> new RMSprop(RMSprop.options().alpha(-0.1), ps)).hasMessageContaining("alpha = -0.1");
        assertThatThrownBy(() -> new SGD(SGD.options(), new ParamGroup(ps), new ParamGroup(ps).set("lr", -2)))
                .hasMessageContaining("param group 1");
        assertThatThrownBy(() -> new SGD(SGD.options(), new ParamGroup(ps), new ParamGroup(ps)))
                .hasMessageContaining("appears twice");
        Tensor view = Tensor.zeros(3, 2).t().detach().requiresGrad(true);
        assertThatThrownBy(() -> new SGD(List.of(view), 0.1)).hasMessageContaining("not a contiguous");
    }

    @Test
    void createByName() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        Optimizer o = Optimizers.create("AdamW", ps, java.util.Map.of("lr", 3e-4, "weight_decay", 0.05));
        assertThat(o).isInstanceOf(AdamW.class);
        assertThat(o.lr()).isEqualTo((float) 3e-4);
        assertThat(o.paramGroups().get(0).get("weight_decay")).isEqualTo((float) 0.05);
        assertThat(Optimizers.create("sgd", ps, java.util.Map.of())).isInstanceOf(SGD.class);
        assertThatThrownBy(() -> Optimizers.create("lion", ps, java.util.Map.of()))
                .hasMessageContaining("optimizer 'lion'").hasMessageContaining("adamw");
        assertThatThrownBy(() -> Optimizers.create("sgd", ps, java.util.Map.of("beta1", 0.9)))
                .hasMessageContaining("unknown option 'beta1'");
        assertThatThrownBy(() -> Optimizers.create("adam", ps, java.util.Map.of("lr", -1.0)))
                .hasMessageContaining("lr = -1");
    }
}
