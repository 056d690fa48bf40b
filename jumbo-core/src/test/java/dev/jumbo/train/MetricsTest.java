package dev.jumbo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void accuracyTopKAndConfusionOnHandMadePredictions() {
        // 5 examples, 3 classes; argmax per row: 0, 2, 1, 2, 0 (row 4 ties 0 and 1: the first wins)
        Tensor logits = Tensor.of(new float[] {
            3, 1, 0,
            0, 1, 2,
            0, 5, 4,
            1, 0, 9,
            2, 2, 1}, 5, 3);
        Tensor labels = Tensor.ofInts(new int[] {0, 1, 2, 2, 1}, 5);
        Metrics m = new Metrics(3, 2);
        m.update(logits, labels, 0.5);
        assertThat(m.accuracy()).isEqualTo(2.0 / 5);     // rows 0 and 3
        // top-2: row 1 (label 1 is second), row 2 (label 2 second), row 4 (label 1 ties first: second) all count
        assertThat(m.topKAccuracy()).isEqualTo(1.0);
        assertThat(m.loss()).isEqualTo(0.5);
        ConfusionMatrix cm = m.confusion();
        assertThat(cm.toArray()).isDeepEqualTo(new long[][] {{1, 0, 0}, {1, 0, 1}, {0, 1, 1}});
        assertThat(cm.precision(0)).isEqualTo(0.5);
        assertThat(cm.recall(0)).isEqualTo(1.0);
        assertThat(cm.f1(0)).isCloseTo(2 * 0.5 / 1.5, within(1e-12));
        assertThat(cm.precision(1)).isEqualTo(0.0);      // predicted once (row 2), wrong
        assertThat(cm.recall(1)).isEqualTo(0.0);
        assertThat(cm.f1(1)).isEqualTo(0.0);
        assertThat(cm.precision(2)).isEqualTo(0.5);
        assertThat(cm.recall(2)).isEqualTo(0.5);
        assertThat(cm.macroF1()).isCloseTo((2.0 / 3 + 0 + 0.5) / 3, within(1e-12));
        assertThat(cm.table(List.of("a", "b", "c"))).contains("0 a").contains("precision");

        Metrics top1 = new Metrics(3, 1);
        top1.update(logits, labels, Double.NaN);
        assertThat(top1.topKAccuracy()).isEqualTo(top1.accuracy());
        // a second batch accumulates; the mean loss is weighted by batch size
        m.update(logits.narrow(0, 0, 1), labels.narrow(0, 0, 1), 2.0);
        assertThat(m.count()).isEqualTo(6);
        assertThat(m.loss()).isCloseTo((0.5 * 5 + 2.0) / 6, within(1e-12));
    }

    @Test
    void errorsNameWhatWasReceived() {
        Metrics m = new Metrics(3, 1);
        assertThatThrownBy(() -> m.update(Tensor.zeros(2, 4), Tensor.ofInts(new int[] {0, 1}, 2), 0))
                .hasMessageContaining("[2, 4]").hasMessageContaining("[N,3]");
        assertThatThrownBy(() -> m.update(Tensor.zeros(1, 3), Tensor.ofInts(new int[] {3}, 1), 0))
                .hasMessageContaining("label 3");
        assertThatThrownBy(() -> new EarlyStopping("val_loss", 0, 1, "sideways", false)).hasMessageContaining("sideways");
    }
}
