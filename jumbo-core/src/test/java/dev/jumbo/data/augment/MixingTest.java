package dev.jumbo.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import dev.jumbo.data.Batch;
import dev.jumbo.data.DataLoader;
import dev.jumbo.data.TensorDataset;
import dev.jumbo.data.Transform;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.Sequential;
import dev.jumbo.nn.Flatten;
import dev.jumbo.optim.SGD;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import dev.jumbo.train.History;
import dev.jumbo.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MixingTest {

    /** n images [1,6,6] whose pixels all equal the index + 1, labels index % 4. */
    static TensorDataset images(int n) {
        float[] x = new float[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, i * 36, (i + 1) * 36, i + 1);
            y[i] = i % 4;
        }
        return new TensorDataset("images", x, y, new int[] {1, 6, 6}, 4, List.of());
    }

    static Batch batch(int n) {
        TensorDataset d = images(n);
        float[] x = new float[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            d.read(i, x, i * 36);
            y[i] = d.label(i);
        }
        return new Batch(Tensor.of(x, n, 1, 6, 6), Tensor.ofInts(y, n));
    }

    @Test
    void mixupMixesImagesAndTargetsWithTheSameLambda() {
        for (long seed = 0; seed < 10; seed++) {
            Batch out = new MixUp(0.4, 4).apply(batch(8), new Rng(seed));
            float[] x = out.inputs().toFloatArray();
            float[] t = out.targets().toFloatArray();
            int[] labels = out.labels().toIntArray();
            for (int i = 0; i < 8; i++) {
                float v = x[i * 36];
                for (int k = 1; k < 36; k++) {
                    assertThat(x[i * 36 + k]).isEqualTo(v);  // one lambda for the whole image
                }
                // v = l (i+1) + (1-l)(j+1): the targets put l on class i%4 and 1-l on class j%4
                double sum = 0;
                int best = 0;
                for (int c = 0; c < 4; c++) {
                    sum += t[i * 4 + c];
                    best = t[i * 4 + c] > t[i * 4 + best] ? c : best;
                }
                assertThat(sum).isCloseTo(1, within(1e-6));
                assertThat(labels[i]).isEqualTo(best);
                // reconstruct the partner j and lambda from the pixel value and check the target
                boolean explained = false;
                for (int j = 0; j < 8 && !explained; j++) {
                    if (j == i) {
                        explained = v == i + 1 && t[i * 4 + i % 4] == 1f;
                        continue;
                    }
                    double l = (v - (j + 1)) / (double) (i - j);
                    if (l < -1e-6 || l > 1 + 1e-6) {
                        continue;
                    }
                    float[] want = new float[4];
                    want[i % 4] += (float) l;
                    want[j % 4] += (float) (1 - l);
                    boolean ok = true;
                    for (int c = 0; c < 4; c++) {
                        ok &= Math.abs(want[c] - t[i * 4 + c]) < 1e-4;
                    }
                    explained = ok;
                }
                assertThat(explained).as("seed " + seed + " row " + i).isTrue();
            }
        }
    }

    @Test
    void cutmixPastesABoxAndWeighsTargetsByItsArea() {
        for (long seed = 0; seed < 20; seed++) {
            Batch out = new CutMix(1.0, 4).apply(batch(8), new Rng(seed));
            float[] x = out.inputs().toFloatArray();
            float[] t = out.targets().toFloatArray();
            for (int i = 0; i < 8; i++) {
                int own = 0;
                float other = -1;
                for (int k = 0; k < 36; k++) {
                    if (x[i * 36 + k] == i + 1) {
                        own++;
                    } else {
                        other = x[i * 36 + k];
                    }
                }
                float keep = own / 36f;
                if (other < 0) {
                    assertThat(t[i * 4 + i % 4]).isCloseTo(1f, within(1e-6f)); // nothing pasted (or the partner is itself)
                    continue;
                }
                int j = (int) other - 1;
                float[] want = new float[4];
                want[i % 4] += keep;
                want[j % 4] += 1 - keep;
                for (int c = 0; c < 4; c++) {
                    assertThat(t[i * 4 + c]).as("seed " + seed + " row " + i).isCloseTo(want[c], within(1e-5f));
                }
            }
        }
    }

    @Test
    void betaDrawsHaveTheRightMean() {
        Rng rng = new Rng(3);
        for (double a : new double[] {0.2, 1, 3}) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < 20000; i++) {
                double b = Mixing.beta(rng, a);
                assertThat(b).isBetween(0.0, 1.0);
                s += b;
                s2 += (b - 0.5) * (b - 0.5);
            }
            assertThat(s / 20000).isCloseTo(0.5, within(0.01));
            assertThat(s2 / 20000).as("variance at alpha " + a).isCloseTo(1 / (4 * (2 * a + 1)), within(0.01));
        }
    }

    @Test
    void softTargetCrossEntropyHasTheRightGradient() {
        Batch b = new MixUp(1.0, 4).apply(batch(6), new Rng(5));
        Tensor targets = b.targets();
        GradCheck.check("mixup targets", in -> Losses.crossEntropy(in[0], targets),
                Tensor.randn(new Rng(2), 6, 4).requiresGrad(true));
        // the value: mean over rows of -sum t log softmax(z)
        Tensor z = Tensor.randn(new Rng(3), 6, 4);
        float[] p = z.logSoftmax(1).toFloatArray();
        float[] t = targets.toFloatArray();
        double want = 0;
        for (int i = 0; i < 24; i++) {
            want -= t[i] * p[i];
        }
        assertThat((double) Losses.crossEntropy(z, targets).item()).isCloseTo(want / 6, within(1e-5));
    }

    /** Every batch of two epochs, inputs then targets, flattened. */
    static List<float[]> run(int workers, Transform t) {
        List<float[]> out = new ArrayList<>();
        try (DataLoader loader = DataLoader.builder(images(20)).batchSize(6).shuffle(true).seed(9).transform(t)
                .batchTransform(new CutMix(1.0, 4)).workers(workers).prefetch(3).build()) {
            for (int e = 0; e < 2; e++) {
                for (Batch b : loader.epoch(e)) {
                    out.add(b.inputs().toFloatArray());
                    out.add(b.targets().toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void augmentedBatchesDoNotDependOnTheWorkerCount() {
        Transform aug = Augment.image(1, 6, 6).randomCrop(2, PadMode.REFLECT).hflip(0.5).erasing(0.5).rotation(10).build();
        List<float[]> a = run(0, aug);
        List<float[]> b = run(1, aug);
        List<float[]> c = run(3, aug);
        assertThat(a).hasSize(b.size()).hasSize(c.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).containsExactly(a.get(i));
            assertThat(c.get(i)).containsExactly(a.get(i));
        }
        assertThat(a.get(0)).isNotEqualTo(a.get(a.size() / 2)); // epochs differ
    }

    @Test
    void trainerTrainsOnSoftTargetsAndCountsAccuracyOnTheirArgmax() {
        Module model = new Sequential(new Flatten(), new Linear(36, 4, new Rng(1)));
        Trainer trainer = Trainer.builder().optimizer(new SGD(model.parameters(), 0.001)).seed(1).build();
        try (DataLoader train = DataLoader.builder(images(16)).batchSize(8).shuffle(true).seed(2)
                .batchTransform(new MixUp(0.4, 4)).build()) {
            History h = trainer.fit(model, train, null, 2);
            double loss = h.last().get("loss");
            assertThat(loss).isFinite().isPositive();
            assertThat(h.last().get("accuracy")).isBetween(0.0, 1.0);
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> new MixUp(0, 10)).hasMessageContaining("alpha 0.0");
        assertThatThrownBy(() -> new CutMix(1, 1)).hasMessageContaining("numClasses 1");
        Batch bad = new Batch(Tensor.zeros(2, 1, 6, 6), Tensor.ofInts(new int[] {0, 7}, 2));
        assertThatThrownBy(() -> new MixUp(1, 4).apply(bad, new Rng(1))).hasMessageContaining("label 7");
    }
}
