package dev.jumbo.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Losses.CrossEntropyOptions;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Losses, an optimizer, clipping and a schedule together: a softmax classifier learns 3 blobs. */
class TrainingSmokeTest {

    static float[] train(long seed) {
        Rng rng = new Rng(seed);
        int n = 60;
        Tensor labels = Tensor.ofInts(new int[n], n);
        float[] xs = new float[n * 2];
        Tensor noise = Tensor.randn(rng, n, 2).mul(0.3f);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels.intData()[i] = c;
            xs[2 * i] = (float) Math.cos(2 * Math.PI * c / 3) + noise.get(i, 0);
            xs[2 * i + 1] = (float) Math.sin(2 * Math.PI * c / 3) + noise.get(i, 1);
        }
        Tensor x = Tensor.of(xs, n, 2);
        Tensor w = Tensor.randn(rng, 3, 2).mul(0.1f).requiresGrad(true);
        Tensor b = Tensor.zeros(3).requiresGrad(true);
        AdamW opt = new AdamW(AdamW.options().lr(0.1), List.of(w, b));
        LrScheduler sched = LrScheduler.warmupCosine(opt, 5, 60, 1e-3);
        var ce = CrossEntropyOptions.defaults().labelSmoothing(0.05f);
        float[] losses = new float[60];
        for (int step = 0; step < 60; step++) {
            Tensor loss = Losses.crossEntropy(Tensor.linear(x, w, b), labels, ce);
            losses[step] = loss.item();
            loss.backward();
            GradClip.clipGradNorm(List.of(w, b), 1.0, 2);
            opt.step();
            opt.zeroGrad();
            sched.step();
        }
        return losses;
    }

    @Test
    void lossFallsAndRunsAreIdentical() {
        float[] a = train(1);
        assertThat(a[59]).isLessThan(0.35f * a[0]);
        assertThat(train(1)).isEqualTo(a);
    }
}
