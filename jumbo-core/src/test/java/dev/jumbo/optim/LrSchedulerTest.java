package dev.jumbo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Lr sequences against PyTorch's documented closed forms and the values its docs list. */
class LrSchedulerTest {

    static SGD sgd(double lr) {
        return new SGD(SGD.options().lr(lr).momentum(0.9), List.of(Tensor.zeros(2).requiresGrad(true)));
    }

    /** lr at epochs 0..steps (the value after construction, then after each step). */
    static double[] sequence(Optimizer opt, LrScheduler s, int steps) {
        double[] out = new double[steps + 1];
        out[0] = opt.lr();
        for (int e = 1; e <= steps; e++) {
            s.step();
            out[e] = opt.lr();
        }
        return out;
    }

    static void assertSequence(double[] actual, IntToDoubleFunction expected) {
        for (int e = 0; e < actual.length; e++) {
            double x = expected.applyAsDouble(e);
            assertThat(actual[e]).as("epoch %d", e).isCloseTo(x, within(1e-7 * Math.max(1e-3, Math.abs(x))));
        }
    }

    @Test
    void stepLrAsInPyTorchsDocs() {
        SGD opt = sgd(0.05);
        double[] lr = sequence(opt, new StepLR(opt, 30, 0.1), 95);
        assertSequence(lr, e -> e < 30 ? 0.05 : e < 60 ? 0.005 : e < 90 ? 0.0005 : 0.00005);
    }

    @Test
    void multiStepLrAsInPyTorchsDocs() {
        SGD opt = sgd(0.05);
        double[] lr = sequence(opt, new MultiStepLR(opt, new int[] {80, 30}, 0.1), 100);
        assertSequence(lr, e -> e < 30 ? 0.05 : e < 80 ? 0.005 : 0.0005);
    }

    @Test
    void exponentialLr() {
        SGD opt = sgd(0.1);
        assertSequence(sequence(opt, new ExponentialLR(opt, 0.9), 20), e -> 0.1 * Math.pow(0.9, e));
    }

    @Test
    void cosineAnnealingClosedForm() {
        SGD opt = sgd(0.1);
        double[] lr = sequence(opt, new CosineAnnealingLR(opt, 10, 0.001), 10);
        assertSequence(lr, e -> 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * e / 10)) / 2);
        assertThat(lr[5]).isCloseTo(0.0505, within(1e-8));
        assertThat(lr[10]).isCloseTo(0.001, within(1e-9));
    }

    @Test
    void warmupThenCosineToTheFloor() {
        SGD opt = sgd(0.1);
        double[] lr = sequence(opt, LrScheduler.warmupCosine(opt, 4, 12, 0.01), 15);
        assertSequence(lr, e -> e < 4 ? 0.1 * e / 4
                : e >= 12 ? 0.01 : 0.01 + 0.09 * (1 + Math.cos(Math.PI * (e - 4) / 8)) / 2);
        assertThat(lr[0]).isZero();
        assertThat(lr[4]).isCloseTo(0.1, within(1e-8));
        assertThat(lr[8]).isCloseTo(0.055, within(1e-8));
    }

    @Test
    void oneCycleWithPyTorchDefaults() {
        SGD opt = sgd(0.5); // the lr is replaced by max_lr / div_factor
        OneCycleLR s = OneCycleLR.builder(0.1, 10).build(opt);
        double[] mom = new double[10];
        double[] lr = new double[10];
        for (int e = 0; e < 10; e++) {
            lr[e] = opt.lr();
            mom[e] = opt.paramGroups().get(0).get("momentum");
            if (e < 9) {
                s.step();
            }
        }
        double initial = 0.1 / 25;
        double min = initial / 1e4;
        // phase 1 ends at step 0.3 * 10 - 1 = 2, phase 2 at 9
        assertSequence(lr, e -> e <= 2 ? min(initial, 0.1, e / 2.0) : min(0.1, min, (e - 2) / 7.0));
        assertThat(lr[0]).isCloseTo(0.004, within(1e-9));
        assertThat(lr[1]).isCloseTo(0.052, within(1e-8));
        assertThat(lr[2]).isCloseTo(0.1, within(1e-8));
        assertThat(lr[9]).isCloseTo(4e-7, within(1e-12));
        assertThat(mom[0]).isCloseTo(0.95, within(1e-7));
        assertThat(mom[1]).isCloseTo(0.9, within(1e-7));
        assertThat(mom[2]).isCloseTo(0.85, within(1e-7));
        assertThat(mom[9]).isCloseTo(0.95, within(1e-7));
        s.step(); // step 10 == total_steps is still allowed, as in PyTorch
        assertThatThrownBy(s::step).hasMessageContaining("at most 10 steps");
    }

    @Test
    void oneCycleWithAOneStepWarmupOrOneStepTotalStaysFinite() {
        SGD opt = sgd(0.1);
        OneCycleLR s = OneCycleLR.builder(0.1, 10).pctStart(0.1).build(opt); // warm-up ends at step 0
        assertThat(opt.lr()).isCloseTo(0.1, within(1e-8));
        s.step();
        assertThat(opt.lr()).isLessThan(0.1).isGreaterThan(0);
        SGD one = sgd(0.1);
        OneCycleLR.builder(0.1, 1).build(one);
        assertThat(one.lr()).isFinite();
    }

    private static double min(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1); // PyTorch's _annealing_cos
    }

    @Test
    void oneCycleCyclesAdamsBeta1AndPerGroupMaxLr() {
        Adam adam = new Adam(Adam.options(), new ParamGroup(List.of(Tensor.zeros(1).requiresGrad(true))),
                new ParamGroup(List.of(Tensor.zeros(1).requiresGrad(true))));
        OneCycleLR s = OneCycleLR.builder(new double[] {1.0, 0.1}, 100).divFactor(10).build(adam);
        assertThat(adam.lr(0)).isCloseTo(0.1, within(1e-8));
        assertThat(adam.lr(1)).isCloseTo(0.01, within(1e-9));
        assertThat(adam.paramGroups().get(0).get("beta1")).isCloseTo(0.95, within(1e-7));
        for (int i = 0; i < 29; i++) {
            s.step();
        }
        assertThat(adam.lr(0)).isCloseTo(1.0, within(1e-7));
        assertThat(adam.paramGroups().get(1).get("beta1")).isCloseTo(0.85, within(1e-7));
    }

    @Test
    void plateauReducesAfterPatienceWithCooldownAndFloor() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau p = ReduceLROnPlateau.builder().factor(0.5).patience(2).build(opt);
        double[] metrics = {10, 9, 9, 9, 9, 9, 9, 9, 8, 8};
        double[] expected = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25};
        for (int i = 0; i < metrics.length; i++) {
            p.step(metrics[i]);
            assertThat(opt.lr()).as("after metric %d", i).isEqualTo(expected[i]);
        }
        // cooldown 1: the step after a reduction does not count as bad
        SGD opt2 = sgd(1.0);
        ReduceLROnPlateau c = ReduceLROnPlateau.builder().factor(0.1).patience(1).cooldown(1).minLr(0.015).build(opt2);
        double[] lrs = new double[8];
        for (int i = 0; i < 8; i++) {
            c.step(5);
            lrs[i] = opt2.lr();
        }
        assertThat(lrs).containsExactly(1, 1, (float) 0.1, (float) 0.1, (float) 0.1, (float) 0.015, (float) 0.015,
                (float) 0.015);
    }

    @Test
    void plateauThresholdModesAndMaxMode() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau abs = ReduceLROnPlateau.builder().patience(0).threshold(0.1, "abs").build(opt);
        abs.step(9);
        abs.step(8.95); // not better than 9 - 0.1: reduce
        assertThat(opt.lr()).isEqualTo((float) 0.1);
        assertThat(abs.best()).isEqualTo(9f);
        SGD opt2 = sgd(1.0);
        ReduceLROnPlateau max = ReduceLROnPlateau.builder().mode("max").patience(0).build(opt2);
        max.step(0.5);
        max.step(0.6);
        assertThat(opt2.lr()).isEqualTo(1.0);
        max.step(0.60001); // relative threshold 1e-4: 0.6 * 1.0001 = 0.60006 not exceeded
        assertThat(opt2.lr()).isEqualTo((float) 0.1);
        assertThatThrownBy(max::step).hasMessageContaining("step(metric)");
    }

    @Test
    void schedulerStateRoundTrips() {
        SGD a = sgd(0.1);
        CosineAnnealingLR s = new CosineAnnealingLR(a, 20, 0);
        for (int i = 0; i < 7; i++) {
            s.step();
        }
        Map<String, Tensor> state = s.stateDict();
        SGD b = sgd(0.1);
        CosineAnnealingLR s2 = new CosineAnnealingLR(b, 20, 0);
        s2.loadStateDict(state);
        assertThat(b.lr()).isEqualTo(a.lr());
        s.step();
        s2.step();
        assertThat(b.lr()).isEqualTo(a.lr());
        assertThat(s2.lastEpoch()).isEqualTo(8);

        SGD c = sgd(1.0);
        ReduceLROnPlateau p = ReduceLROnPlateau.builder().patience(3).build(c);
        p.step(2);
        p.step(3);
        p.step(3);
        ReduceLROnPlateau p2 = ReduceLROnPlateau.builder().patience(3).build(c);
        p2.loadStateDict(p.stateDict());
        assertThat(p2.best()).isEqualTo(2f);
        assertThat(p2.numBadEpochs()).isEqualTo(2);
        assertThatThrownBy(() -> p2.loadStateDict(Map.of())).hasMessageContaining("missing 'best'");
    }

    @Test
    void badScheduleOptionsAreNamed() {
        SGD opt = sgd(0.1);
        assertThatThrownBy(() -> new StepLR(opt, 0, 0.1)).hasMessageContaining("stepSize = 0");
        assertThatThrownBy(() -> OneCycleLR.builder(0.1, 10).pctStart(1.5).build(opt)).hasMessageContaining("pctStart = 1.5");
        assertThatThrownBy(() -> ReduceLROnPlateau.builder().factor(1.0).build(opt)).hasMessageContaining("factor = 1.0");
        assertThatThrownBy(() -> ReduceLROnPlateau.builder().mode("up")).hasMessageContaining("mode 'up'");
        assertThatThrownBy(() -> LrScheduler.warmupCosine(opt, 10, 10, 0)).hasMessageContaining("warmupSteps = 10");
        Adam noMomentum = new Adam(Adam.options(), List.of(Tensor.zeros(1).requiresGrad(true)));
        RMSprop rms = new RMSprop(RMSprop.options(), List.of(Tensor.zeros(1).requiresGrad(true)));
        assertThat(OneCycleLR.builder(0.1, 10).build(rms)).isNotNull(); // RMSprop has a momentum option
        assertThat(OneCycleLR.builder(0.1, 10).build(noMomentum)).isNotNull();
    }
}
