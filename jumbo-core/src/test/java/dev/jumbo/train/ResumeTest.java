package dev.jumbo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.io.Safetensors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run killed mid-epoch and resumed ends with the same bits as an uninterrupted run. */
class ResumeTest {
    static final int EPOCHS = 4;   // 128 examples / 16 = 8 batches per epoch, 32 steps

    @TempDir
    Path tmp;

    @Test
    void resumeAfterAnExceptionMidEpochGivesBitIdenticalWeights() throws Exception {
        Map<String, float[]> straight = new Run(7, 128).fit(tmp.resolve("a"), EPOCHS, false);
        Path b = tmp.resolve("b");
        Callback crash = new Callback() {
            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                if (logs.get("batch") == 4 && Files.exists(b.resolve(BackupAndRestore.FILE))) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        Run first = new Run(7, 128);
        assertThatThrownBy(() -> first.fit(b, EPOCHS, false, crash)).hasMessageContaining("simulated crash");
        first.train.close();
        first.val.close();
        // epoch 0 batch 4 (5 steps done): the backup holds step 4, so one batch is trained again
        Map<String, float[]> resumed = new Run(7, 128).fit(b, EPOCHS, true);
        assertSameBits(resumed, straight);
        assertThat(Files.readAllLines(b.resolve("metrics.csv"))).hasSize(1 + EPOCHS);
    }

    @Test
    @Timeout(180)
    void killedChildJvmResumesToBitIdenticalWeights() throws Exception {
        Map<String, float[]> straight = new Run(7, 128).fit(tmp.resolve("straight"), EPOCHS, false);
        Path dir = tmp.resolve("killed");
        Files.createDirectories(dir);
        Process p = child(dir, false, 40);
        int steps = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            // step 13 = epoch 1, batch 5 of 8: mid-epoch, after the backups of steps 2..12 and epoch 0
            while ((line = r.readLine()) != null) {
                if (line.startsWith("step ")) {
                    steps = Integer.parseInt(line.substring(5));
                    if (steps >= 13 && Files.exists(dir.resolve(BackupAndRestore.FILE))) {
                        break;
                    }
                }
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(steps).as("child progress before the kill (stderr: see the build log)").isGreaterThanOrEqualTo(13);
        assertThat(steps).isLessThan(EPOCHS * 8);
        assertThat(dir.resolve("final.safetensors")).doesNotExist();
        // the backup on disk is complete and readable, whatever moment the kill hit
        assertThat(Safetensors.read(dir.resolve(BackupAndRestore.FILE)).metadata()).containsKey("epoch");

        Map<String, float[]> resumed = new Run(7, 128).fit(dir, EPOCHS, true);
        assertSameBits(resumed, straight);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertThat(names).containsExactly(BackupAndRestore.FILE, "final.safetensors", "metrics.csv");
        }
        assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).hasSize(1 + EPOCHS);
    }

    private static Process child(Path dir, boolean resume, long sleepMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        String threads = System.getProperty("jumbo.threads");
        if (threads != null) {
            cmd.add("-Djumbo.threads=" + threads); // the same pool size, so the same reduction order
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Run.class.getName(), dir.toString(),
                Integer.toString(EPOCHS), Boolean.toString(resume), Long.toString(sleepMs)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    static void assertSameBits(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> {
            float[] a = actual.get(k);
            for (int i = 0; i < v.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(v[i])) {
                    throw new AssertionError(k + "[" + i + "]: " + a[i] + " != " + v[i] + " (resumed vs uninterrupted)");
                }
            }
        });
    }
}
