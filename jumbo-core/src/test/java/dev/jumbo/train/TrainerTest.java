package dev.jumbo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.io.ModelDirectory;
import dev.jumbo.io.Safetensors;
import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    @Test
    void sameSeedSameDataGivesTheSameLossCurveTwice() {
        List<List<Double>> curves = new ArrayList<>();
        List<Map<String, float[]>> finals = new ArrayList<>();
        for (int rep = 0; rep < 2; rep++) {
            Run run = new Run(3, 96);
            Run.Losses losses = new Run.Losses();
            History h = run.trainer.fit(run.model, run.train, run.val, 3, losses);
            assertThat(h.epochs()).hasSize(3);
            curves.add(losses.values);
            finals.add(Run.weights(run.model));
        }
        assertThat(curves.get(0)).hasSize(3 * 6).isEqualTo(curves.get(1));
        ResumeTest.assertSameBits(finals.get(1), finals.get(0));
        // and training did something: the loss went down on these separable blobs
        assertThat(curves.get(0).get(17)).isLessThan(curves.get(0).get(0));

        Run other = new Run(4, 96);
        Run.Losses losses = new Run.Losses();
        other.trainer.fit(other.model, other.train, other.val, 1, losses);
        assertThat(losses.values.get(0)).isNotEqualTo(curves.get(0).get(0));
    }

    @Test
    void evaluateAndPredictRunInEvalModeWithoutGradients() {
        Run run = new Run(5, 96);
        run.trainer.fit(run.model, run.train, run.val, 4);
        Evaluation ev = run.trainer.evaluate(run.model, run.val);
        assertThat(ev.count()).isEqualTo(64);
        assertThat(ev.accuracy()).isGreaterThan(0.6);
        assertThat(ev.topKAccuracy()).isEqualTo(1.0); // k = min(5, 3 classes)
        assertThat(ev.confusion().total()).isEqualTo(64);
        assertThat(run.model.isTraining()).isTrue();
        Tensor probs = run.trainer.predict(run.model, Run.blobs(5, 1).get(0).input().unsqueeze(0));
        assertThat(probs.shape()).containsExactly(1, 3);
        assertThat(probs.requiresGrad()).isFalse();
        assertThat(probs.sum().item()).isCloseTo(1f, within(1e-5f));
        // eval mode: dropout off, so two predictions agree exactly
        Tensor x = Tensor.of(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 1, 8);
        assertThat(run.trainer.predict(run.model, x).toFloatArray()).isEqualTo(run.trainer.predict(run.model, x).toFloatArray());
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        Run run = new Run(6, 64);
        double[] score = {0.1, 0.5, 0.4, 0.45, 0.9, 0.9};
        List<Map<String, float[]>> atEpochEnd = new ArrayList<>();
        Callback fake = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                logs.put("score", score[epoch]);
                atEpochEnd.add(Run.weights(run.model));
            }
        };
        EarlyStopping es = new EarlyStopping("score", 0.01, 2, "max", true);
        History h = run.trainer.fit(run.model, run.train, run.val, 6, fake, es);
        assertThat(h.epochs()).hasSize(4);             // best at epoch 1, no improvement in 2 and 3
        assertThat(es.bestEpoch()).isEqualTo(1);
        assertThat(es.stoppedEpoch()).isEqualTo(3);
        ResumeTest.assertSameBits(Run.weights(run.model), atEpochEnd.get(1));
        assertThat(Run.weights(run.model).get("0.weight")).isNotEqualTo(atEpochEnd.get(3).get("0.weight"));
    }

    @Test
    void terminateOnNaNStopsAndKeepsTheLastGoodCheckpoints() throws Exception {
        boolean[] poison = {false};
        Run base = new Run(8, 64);  // 4 batches per epoch
        Trainer trainer = Trainer.builder().optimizer(base.optimizer).seed(8)
                .loss((z, y) -> poison[0] ? Losses.crossEntropy(z, y).mul(Float.NaN) : Losses.crossEntropy(z, y))
                .build();
        Callback poisoner = new Callback() {
            TrainContext ctx;

            @Override
            public void setContext(TrainContext c) {
                ctx = c;
            }

            @Override
            public void onBatchBegin(int batch, Map<String, Double> logs) {
                poison[0] = ctx.epoch() == 1 && batch == 2;
            }
        };
        Path best = tmp.resolve("model");
        Path backups = tmp.resolve("ckpt");
        List<Map<String, float[]>> atEpochEnd = new ArrayList<>();
        Callback snap = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                atEpochEnd.add(Run.weights(base.model));
            }
        };
        TerminateOnNaN nan = new TerminateOnNaN();
        History h = trainer.fit(base.model, base.train, base.val, 5, poisoner, nan, snap,
                new ModelCheckpoint(best, "val_loss", false), new BackupAndRestore(backups, 1, true));
        assertThat(nan.terminated()).isTrue();
        assertThat(nan.badEpoch()).isEqualTo(1);
        assertThat(nan.badBatch()).isEqualTo(2);
        assertThat(h.epochs()).hasSize(1);
        assertThat(Run.weights(base.model).get("0.weight")[0]).isNaN();
        // the epoch-0 model directory is intact and loads
        Module saved = Model.load(best);
        ResumeTest.assertSameBits(Run.weights(saved), atEpochEnd.get(0));
        // the backup is the one after batch 1 of epoch 1, with finite weights
        var backup = Safetensors.read(backups.resolve(BackupAndRestore.FILE));
        assertThat(backup.metadata()).containsEntry("epoch", "1").containsEntry("batch", "2");
        for (float v : backup.get("model.0.weight").toFloatArray()) {
            assertThat(v).isFinite();
        }
        try (Stream<Path> s = Stream.concat(Files.list(tmp), Stream.concat(Files.list(best), Files.list(backups)))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".tmp-dir") || n.endsWith(".previous"));
        }
        assertThat(best.resolve(ModelDirectory.WEIGHTS)).exists();
    }

    @Test
    void loggersWriteCsvJsonAndCurves() throws Exception {
        Run run = new Run(9, 64);
        Path csv = tmp.resolve("metrics.csv");
        Path json = tmp.resolve("metrics.json");
        Path png = tmp.resolve("curves.png");
        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        run.trainer.fit(run.model, run.train, run.val, 3, new CsvLogger(csv), new JsonLogger(json),
                new CurvesPlot(png, json, "blobs"), new ProgressBar(new java.io.PrintStream(bar, true), false),
                new LearningRateScheduler((epoch, lr) -> 0.01 / (epoch + 1)));
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("epoch,loss,accuracy,lr,time_s,images_per_s,val_loss,val_accuracy");
        List<Map<String, Double>> rows = JsonLogger.read(json);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2).get("epoch")).isEqualTo(2.0);
        assertThat(rows.get(1).get("lr")).isCloseTo(0.005, within(1e-9)); // group options are float32
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(Curves.W);
        assertThat(bar.toString()).contains("Epoch 3/3").contains("val_acc").doesNotContain("\r");
        java.io.ByteArrayOutputStream tty = new java.io.ByteArrayOutputStream();
        Run again = new Run(9, 64);
        again.trainer.fit(again.model, again.train, again.val, 1, new ProgressBar(new java.io.PrintStream(tty, true), true));
        assertThat(tty.toString()).startsWith("\rEpoch 1/1").endsWith("\n");
    }

    @Test
    void reduceLrOnPlateauAndBestOnlyCheckpointFollowTheMonitor() throws Exception {
        Run run = new Run(10, 64);
        double[] score = {1.0, 0.5, 0.6, 0.7, 0.8, 0.9};   // a loss-like score: best at epoch 1
        Callback fake = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                logs.put("score", score[epoch]);
            }
        };
        Trainer trainer = Trainer.builder().optimizer(run.optimizer).build(); // no StepLR: only the plateau moves lr
        ReduceLROnPlateau plateau = new ReduceLROnPlateau("score", 0.5, 1, 0.0);
        ModelCheckpoint best = new ModelCheckpoint(tmp.resolve("best"), "score", true);
        History h = trainer.fit(run.model, run.train, run.val, 6, fake, plateau, best);
        assertThat(best.savedEpoch()).isEqualTo(1);
        assertThat(best.best()).isEqualTo(0.5);
        // patience 1: bad epochs 2, 3 -> halve after epoch 3 (num_bad 2 > 1), then cooldown 0: bad 4 -> ..., 5 -> halve
        List<Double> lrs = h.get("lr");
        assertThat(lrs.get(0)).isCloseTo(0.02, within(1e-9));
        assertThat(lrs.get(5)).isLessThan(lrs.get(0));
        assertThat(run.optimizer.lr()).isLessThan(0.02 / 2 + 1e-9);
    }

    @Test
    void aCorruptBackupIsNamedInTheError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ckpt"));
        Files.write(dir.resolve(BackupAndRestore.FILE), new byte[] {1, 2, 3});
        Run run = new Run(11, 32);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.trainer.fit(run.model, run.train, null, 1,
                new BackupAndRestore(dir, 0, true))).hasMessageContaining(BackupAndRestore.FILE);
        // another model's backup: the mismatch names the file and the key
        Run other = new Run(12, 32);
        other.trainer.fit(other.model, other.train, null, 1, new BackupAndRestore(dir, 0, false));
        Run wider = new Run(13, 32);
        dev.jumbo.nn.Sequential m2 = new dev.jumbo.nn.Sequential(new dev.jumbo.nn.Linear(8, 5, new dev.jumbo.tensor.Rng(1)));
        Trainer t2 = Trainer.builder().optimizer(new dev.jumbo.optim.SGD(m2.parameters(), 0.1)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t2.fit(m2, wider.train, null, 1,
                new BackupAndRestore(dir, 0, true))).hasMessageContaining(BackupAndRestore.FILE);
    }
}
