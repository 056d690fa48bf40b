package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomOpsTest {

    @Test
    void sameSeedSameValuesDifferentSeedDifferentValues() {
        assertThat(Tensor.randn(new Rng(1), 3, 2).toFloatArray()).containsExactly(Tensor.randn(new Rng(1), 3, 2).toFloatArray());
        assertThat(Tensor.randn(new Rng(1), 6).toFloatArray()).isNotEqualTo(Tensor.randn(new Rng(2), 6).toFloatArray());
        assertThat(Tensor.randint(new Rng(5), -3, 4, 50).toIntArray()).containsExactly(Tensor.randint(new Rng(5), -3, 4, 50).toIntArray());
        assertThat(Tensor.randperm(new Rng(5), 20).toIntArray()).containsExactly(Tensor.randperm(new Rng(5), 20).toIntArray());
    }

    @Test
    void stateSavesAndRestoresTheStreamExactly() {
        Rng rng = new Rng(42);
        Tensor.rand(rng, 17);
        long[] saved = rng.state();
        byte[] savedBytes = rng.stateBytes();
        float[] next = Tensor.randn(rng, 33).toFloatArray();
        assertThat(Tensor.randn(Rng.fromState(saved), 33).toFloatArray()).containsExactly(next);
        assertThat(Tensor.randn(Rng.fromStateBytes(savedBytes), 33).toFloatArray()).containsExactly(next);
        assertThatThrownBy(() -> Rng.fromState(new long[3])).hasMessageContaining("expected the 4 longs");
        Rng a = new Rng(7);
        Rng child = a.split();
        assertThat(child.nextLong()).isNotEqualTo(new Rng(7).nextLong());
    }

    @Test
    void distributionsHaveTheRightRangeAndMoments() {
        Rng rng = new Rng(3);
        float[] n = Tensor.randn(rng, 100_001).toFloatArray();
        double mean = 0;
        double sq = 0;
        for (float v : n) {
            mean += v;
            sq += v * v;
        }
        mean /= n.length;
        assertThat(mean).isCloseTo(0, within(0.02));
        assertThat(sq / n.length - mean * mean).isCloseTo(1, within(0.02));
        float[] u = Tensor.uniform(rng, -2, 3, 10_000).toFloatArray();
        for (float v : u) {
            assertThat(v).isGreaterThanOrEqualTo(-2f).isLessThan(3f);
        }
        float[] b = Tensor.bernoulli(rng, 0.3f, 10_000).toFloatArray();
        double ones = 0;
        for (float v : b) {
            ones += v;
        }
        assertThat(ones / b.length).isCloseTo(0.3, within(0.02));
        int[] ri = Tensor.randint(rng, 2, 5, 1000).toIntArray();
        assertThat(ri).contains(2, 3, 4).doesNotContain(1, 5);
        int[] p = Tensor.randperm(rng, 100).toIntArray();
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
        assertThat(p).isNotEqualTo(sorted);
    }

    @Test
    void dropoutScalesKeptValuesAndBackwardUsesTheSameMask() {
        Tensor x = Tensor.ones(1000).requiresGrad(true);
        Tensor y = x.dropout(0.25f, true, new Rng(9));
        float[] yv = y.toFloatArray();
        int kept = 0;
        for (float v : yv) {
            assertThat(v == 0f || Math.abs(v - 1f / 0.75f) < 1e-6).isTrue();
            kept += v != 0 ? 1 : 0;
        }
        assertThat(kept).isBetween(700, 800);
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(yv);
        assertThat(x.dropout(0.5f, false, new Rng(1))).isSameAs(x);
        GradCheck.check("dropout", in -> in[0].dropout(0.5f, true, new Rng(4)),
                Tensor.randn(new Rng(2), 4, 3).t().detach().requiresGrad(true));
        assertThatThrownBy(() -> x.dropout(1f, true, new Rng(1)))
                .hasMessage("dropout: p 1.0, expected a probability in [0, 1)");
        assertThatThrownBy(() -> x.dropout(-0.1f, true, new Rng(1))).hasMessageContaining("p -0.1");
    }

    /** Live bytes after collecting; the least of a few tries, as one System.gc() may leave garbage. */
    private static long settledLiveBytes(Profiler prof) throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            best = Math.min(best, prof.report().liveBytes());
        }
        return best;
    }

    @Test
    void tapeIsReleasedAcrossTrainingSteps() throws InterruptedException {
        Tensor w = Tensor.randn(new Rng(1), 64, 64).requiresGrad(true);
        Tensor x = Tensor.randn(new Rng(2), 32, 64);
        long[] live = new long[2];
        List<Tensor> losses = new ArrayList<>(); // kept like a training log: must not pin the graphs
        try (Profiler prof = Profiler.start(false)) {
            prof.track(w);
            prof.track(x);
            for (int step = 0; step < 40; step++) {
                Tensor h = x.mul(w.sum(0, true)).gelu().add(x.softmax(-1));
                Tensor loss = h.sub(h.mean(1, true)).square().mean().add(h.logsumexp(1, false).sum());
                loss.backward();
                losses.add(loss);
                w.zeroGrad();
                if (step == 9) {
                    System.gc();
                    live[0] = prof.report().liveBytes();
                }
            }
            live[1] = settledLiveBytes(prof);
            assertThat(prof.report().op("gelu").calls()).isEqualTo(40);
            assertThat(prof.report().op("gelu").flops()).isEqualTo(40L * 32 * 64);
            assertThat(prof.report().op("gelu.backward").calls()).isEqualTo(40);
        }
        // live memory after 40 steps is no more than after 10: backward released every graph
        assertThat(losses).hasSize(40);
        assertThat(live[1]).isLessThanOrEqualTo(live[0] + 64 * 64 * 4);
    }
}
