package dev.jumbo.train.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jumbo.data.Dataset;
import dev.jumbo.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneralizationExperimentTest {
    static Dataset train;
    static Dataset test;

    @BeforeAll
    static void data() {
        assumeThat(FashionMnist.installed().isInstalled()).as("Fashion-MNIST is installed").isTrue();
        train = FashionMnist.train(1000);
        test = FashionMnist.test(200);
    }

    private static GeneralizationSettings tiny() {
        return new GeneralizationSettings("lenet5", 100, 2, 2, 25, 2e-3, 2, 2, 0);
    }

    @Test
    void everyVariantRunsForEverySeedAndReportsConsistentFigures(@TempDir Path tmp) throws Exception {
        GeneralizationSettings s = tiny();
        List<String> names = GeneralizationExperiment.variants(s);
        assertThat(names).containsExactly("baseline", "augmentation", "regularization", "augmentation+regularization",
                "ensemble-2", "snapshot-ensemble");
        int[] started = new int[1];
        List<VariantResult> rs = new GeneralizationExperiment(s, train, test).run(names, new GeneralizationExperiment.Listener() {
            @Override
            public void runStarted(String variant, long seed, int run, int runs) {
                started[0]++;
                assertThat(runs).isEqualTo(12);
            }
        });
        assertThat(started[0]).isEqualTo(12);
        assertThat(rs).extracting(VariantResult::name).containsExactlyElementsOf(names);
        for (VariantResult r : rs) {
            assertThat(r.runs()).isEqualTo(2);
            assertThat(r.testAccuracies()).allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
            assertThat(r.gap()).isCloseTo(r.trainMean() - r.testMean(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(r.toJson()).containsKeys("name", "test_accuracy_mean", "test_accuracy_std", "train_test_gap", "seconds");
        }
        // Two epochs on 100 images already beat chance (10%) clearly.
        assertThat(rs.get(0).testMean()).isGreaterThan(0.18);
        assertThat(rs.get(4).extras()).containsKey("best_member_accuracy");
        assertThat(rs.get(5).extras()).containsKey("last_snapshot_accuracy");
        Path png = tmp.resolve("g.png");
        GeneralizationPlot.write(png, rs, "test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(800);
    }

    @Test
    void aSeedFixesTheSubsetTheWeightsAndTheResult() {
        GeneralizationSettings s = tiny().withSeeds(1);
        GeneralizationExperiment e = new GeneralizationExperiment(s, train, test);
        Dataset a = e.subset(1);
        assertThat(a.size()).isEqualTo(100);
        int[] all = train.classCounts();
        for (int c = 0; c < all.length; c++) {
            assertThat((double) a.classCounts()[c]).as("class %d", c).isCloseTo(100.0 * all[c] / train.size(),
                    org.assertj.core.data.Offset.offset(0.999));
        }
        assertThat(((dev.jumbo.data.Subset) e.subset(2)).indices()).isNotEqualTo(((dev.jumbo.data.Subset) a).indices());
        List<String> v = List.of("augmentation");
        double first = e.run(v, GeneralizationExperiment.Listener.NONE).get(0).testMean();
        double again = new GeneralizationExperiment(s, train, test).run(v, GeneralizationExperiment.Listener.NONE).get(0).testMean();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void badSettingsFailBeforeAnyTraining() {
        assertThatThrownBy(() -> new GeneralizationExperiment(tiny().withTrainSize(5000), train, test))
                .hasMessageContaining("train size 5000").hasMessageContaining("1000");
        assertThatThrownBy(() -> new GeneralizationExperiment(tiny().withTrainSize(5), train, test))
                .hasMessageContaining("train size 5").hasMessageContaining("per class");
        assertThatThrownBy(() -> tiny().withSeeds(0)).hasMessageContaining("seeds 0");
        assertThatThrownBy(() -> tiny().withTrainSize(-5)).hasMessageContaining("train size -5");
        assertThatThrownBy(() -> tiny().withEpochs(0)).hasMessageContaining("epochs 0");
        assertThatThrownBy(() -> tiny().withLr(-1)).hasMessageContaining("lr -1");
        assertThatThrownBy(() -> new GeneralizationExperiment(tiny(), train, test).run(List.of("dropout"),
                GeneralizationExperiment.Listener.NONE)).hasMessageContaining("variant 'dropout'");
        assertThatThrownBy(() -> new GeneralizationExperiment(
                new GeneralizationSettings("resnet_nope", 100, 1, 1, 8, 1e-3, 2, 2, 0), train, test))
                .hasMessageContaining("resnet_nope");
    }
}
