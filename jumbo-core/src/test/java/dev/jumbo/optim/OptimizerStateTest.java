package dev.jumbo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OptimizerStateTest {

    /** Trains 4 steps, snapshots, trains 6 more; a fresh optimizer restored from the snapshot must match bit for bit. */
    static void resumesBitIdentically(Function<List<Tensor>, Optimizer> make, boolean withScheduler) {
        Problem prob = new Problem(9, 41);
        Tensor p = prob.param();
        Tensor q = Tensor.randn(new Rng(3), 2, 3).requiresGrad(true); // second param, plain loss
        Optimizer a = make.apply(List.of(p, q));
        LrScheduler sa = withScheduler ? new StepLR(a, 3, 0.5) : null;
        for (int t = 0; t < 4; t++) {
            trainStep(prob, p, q, a, sa);
        }
        Map<String, Tensor> saved = a.stateDict();
        Map<String, Tensor> savedSched = sa == null ? null : sa.stateDict();
        float[] pSaved = p.toFloatArray();
        float[] qSaved = q.toFloatArray();
        for (int t = 0; t < 6; t++) {
            trainStep(prob, p, q, a, sa);
        }

        Tensor p2 = Tensor.of(pSaved, pSaved.length).requiresGrad(true);
        Tensor q2 = Tensor.of(qSaved, 2, 3).requiresGrad(true);
        Optimizer b = make.apply(List.of(p2, q2));
        b.loadStateDict(saved);
        LrScheduler sb = null;
        if (withScheduler) {
            sb = new StepLR(b, 3, 0.5);
            sb.loadStateDict(savedSched);
        }
        for (int t = 0; t < 6; t++) {
            trainStep(prob, p2, q2, b, sb);
        }
        assertThat(p2.toFloatArray()).isEqualTo(p.toFloatArray());
        assertThat(q2.toFloatArray()).isEqualTo(q.toFloatArray());
        assertThat(b.stateDict().keySet()).isEqualTo(a.stateDict().keySet());
        assertThat(b.lr()).isEqualTo(a.lr());
    }

    private static void trainStep(Problem prob, Tensor p, Tensor q, Optimizer opt, LrScheduler sched) {
        prob.backward(p);
        q.square().sum().backward();
        opt.step();
        opt.zeroGrad();
        if (sched != null) {
            sched.step();
        }
    }

    @Test
    void stateDictRestoresEveryOptimizerExactly() {
        resumesBitIdentically(ps -> new SGD(SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3), ps), true);
        resumesBitIdentically(ps -> new Adam(Adam.options().lr(0.03).amsgrad(true).weightDecay(0.01), ps), true);
        resumesBitIdentically(ps -> new AdamW(AdamW.options().lr(0.03), ps), false);
        resumesBitIdentically(ps -> new RMSprop(RMSprop.options().lr(0.01).momentum(0.9).centered(true), ps), true);
    }

    @Test
    void stateDictNamesAndValues() {
        Tensor p = Tensor.ones(2, 2).requiresGrad(true);
        Adam opt = new Adam(Adam.options().lr(0.01), List.of(p));
        p.sum().backward();
        opt.step();
        opt.step();
        Map<String, Tensor> sd = opt.stateDict();
        assertThat(sd.keySet()).containsExactly("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq",
                "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps",
                "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.params");
        assertThat(sd.get("state.0.step").getInt()).isEqualTo(2);
        assertThat(sd.get("state.0.exp_avg").shape()).containsExactly(2, 2);
        assertThat(sd.get("state.0.exp_avg").get(0, 0)).isEqualTo(0.19f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(sd.get("param_groups.0.lr").item()).isEqualTo(0.01f);
        // a snapshot: later steps do not change it
        opt.step();
        assertThat(sd.get("state.0.step").getInt()).isEqualTo(2);
    }

    @Test
    void badStateDictsAreRejectedWithoutChangingTheOptimizer() {
        Tensor p = Tensor.ones(3).requiresGrad(true);
        SGD opt = new SGD(SGD.options().lr(0.1).momentum(0.9), List.of(p));
        p.sum().backward();
        opt.step();
        Map<String, Tensor> sd = new HashMap<>(opt.stateDict());
        sd.put("state.0.momentum_buffer", Tensor.zeros(4));
        assertThatThrownBy(() -> opt.loadStateDict(sd))
                .hasMessageContaining("'state.0.momentum_buffer' has shape [4]").hasMessageContaining("expected [3]");
        Map<String, Tensor> noLr = new HashMap<>(opt.stateDict());
        noLr.remove("param_groups.0.lr");
        assertThatThrownBy(() -> opt.loadStateDict(noLr)).hasMessageContaining("missing 'param_groups.0.lr'");
        Map<String, Tensor> negative = new HashMap<>(opt.stateDict());
        negative.put("param_groups.0.lr", Tensor.scalar(-1f));
        assertThatThrownBy(() -> opt.loadStateDict(negative)).hasMessageContaining("lr = -1");
        Map<String, Tensor> adamState = new HashMap<>(opt.stateDict());
        adamState.put("state.0.exp_avg", Tensor.zeros(3));
        assertThatThrownBy(() -> opt.loadStateDict(adamState))
                .hasMessageContaining("unknown key 'state.0.exp_avg'").hasMessageContaining("momentum_buffer");
        Map<String, Tensor> tooMany = new HashMap<>(opt.stateDict());
        tooMany.put("state.5.step", Tensor.ofInts(new int[] {1}));
        assertThatThrownBy(() -> opt.loadStateDict(tooMany)).hasMessageContaining("'state.5.step'");
        assertThat(opt.stepCount(0)).isEqualTo(1);
        assertThat(opt.lr()).isEqualTo((float) 0.1);
        assertThat(opt.stateDict().get("state.0.momentum_buffer").shape()).containsExactly(3);
    }

    /** Bytes the calling thread allocates per {@code step()}, after warm-up (the least of a few runs). */
    static long bytesPerStep(Optimizer opt, int warmup) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup; i++) {
            opt.step();
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10; i++) {
                opt.step();
            }
            best = Math.min(best, (bean.getCurrentThreadAllocatedBytes() - before) / 10);
        }
        return best;
    }

    static List<Tensor> paramsWithGrads(int count, int size) {
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Tensor p = Tensor.zeros(size).requiresGrad(true);
            p.setGrad(Tensor.full(1e-3f, size));
            ps.add(p);
        }
        return ps;
    }

    @Test
    void stepAllocatesLittleAndIndependentlyOfParameterSize() {
        for (Function<List<Tensor>, Optimizer> make : List.<Function<List<Tensor>, Optimizer>>of(
                ps -> new Adam(Adam.options().lr(1e-4).amsgrad(true), ps),
                ps -> new SGD(SGD.options().lr(1e-4).momentum(0.9), ps),
                ps -> new RMSprop(RMSprop.options().lr(1e-4).centered(true).momentum(0.5), ps))) {
            Optimizer small = make.apply(paramsWithGrads(8, 1000));
            Optimizer large = make.apply(paramsWithGrads(2, 1 << 20)); // runs on the parallel pool
            long perTensorSmall = bytesPerStep(small, 3000) / 8;
            long perTensorLarge = bytesPerStep(large, 30) / 2;
            System.out.printf("%s: %d bytes per parameter tensor per step (1000 floats), %d (1M floats)%n",
                    small.getClass().getSimpleName(), perTensorSmall, perTensorLarge);
            assertThat(perTensorSmall).isLessThan(1024);
            assertThat(perTensorLarge).isLessThan(1024);
        }
    }
}
