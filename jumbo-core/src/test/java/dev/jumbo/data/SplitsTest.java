package dev.jumbo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** 1000 examples with unbalanced classes: 600 of class 0, 300 of class 1, 100 of class 2. */
    static TensorDataset unbalanced() {
        int[] y = new int[1000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2;
        }
        float[] x = new float[1000];
        Arrays.setAll(y, i -> y[i]);
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new TensorDataset("unbalanced", x, y, new int[] {1}, 3, List.of());
    }

    @Test
    void randomSplitPartitionsTheDataReproducibly() {
        TensorDataset d = unbalanced();
        List<Subset> parts = Splits.randomSplit(d, new double[] {0.7, 0.2, 0.1}, 5);
        assertThat(parts).extracting(Subset::size).containsExactly(700, 200, 100);
        Set<Integer> all = new HashSet<>();
        for (Subset s : parts) {
            for (int i : s.indices()) {
                assertThat(all.add(i)).isTrue();
            }
        }
        assertThat(all).hasSize(1000);
        assertThat(Splits.randomSplit(d, new double[] {0.7, 0.2, 0.1}, 5).get(1).indices()).isEqualTo(parts.get(1).indices());
        assertThat(Splits.randomSplit(d, new double[] {0.7, 0.2, 0.1}, 6).get(1).indices()).isNotEqualTo(parts.get(1).indices());
    }

    @Test
    void fractionRemaindersGoToTheFirstParts() {
        List<Subset> parts = Splits.randomSplit(DataLoaderTest.toy(10), new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, 1);
        assertThat(parts).extracting(Subset::size).containsExactly(4, 3, 3);
        assertThat(Splits.randomSplit(DataLoaderTest.toy(10), new int[] {2, 8}, 1)).extracting(Subset::size).containsExactly(2, 8);
    }

    @Test
    void badSplitsAreRejected() {
        assertThatThrownBy(() -> Splits.randomSplit(DataLoaderTest.toy(10), new double[] {0.5, 0.4}, 1))
                .hasMessageContaining("add up to 0.9");
        assertThatThrownBy(() -> Splits.randomSplit(DataLoaderTest.toy(10), new int[] {5, 6}, 1))
                .hasMessageContaining("add up to 11: expected the dataset size 10");
        assertThatThrownBy(() -> Splits.stratifiedSplit(DataLoaderTest.toy(10), 1.5, 1)).hasMessageContaining("valFraction 1.5");
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        TensorDataset d = unbalanced();
        for (long seed = 0; seed < 3; seed++) {
            Splits.Split s = Splits.stratifiedSplit(d, 0.15, seed);
            assertThat(s.validation().classCounts()).containsExactly(90, 45, 15);
            assertThat(s.train().classCounts()).containsExactly(510, 255, 85);
            int[] both = IntStream.concat(Arrays.stream(s.train().indices()), Arrays.stream(s.validation().indices()))
                    .sorted().toArray();
            assertThat(both).isEqualTo(IntStream.range(0, 1000).toArray());
        }
        assertThat(Splits.stratifiedSplit(d, 0.15, 0).validation().indices())
                .isNotEqualTo(Splits.stratifiedSplit(d, 0.15, 1).validation().indices());
    }

    @Test
    void subsetViewsTheBaseAndChecksIndices() {
        TensorDataset d = DataLoaderTest.toy(10);
        Subset s = new Subset(d, new int[] {7, 2});
        assertThat(s.label(0)).isEqualTo(1);
        assertThat(s.get(1).input().toFloatArray()).containsExactly(2, -2);
        assertThatThrownBy(() -> new Subset(d, new int[] {10})).hasMessageContaining("index 10 at position 0");
        assertThat(Subset.range(d, 3, 6).labels()).containsExactly(0, 1, 2);
    }

    @Test
    void transformsNormalizePerChannel() {
        float[] x = {1, 3, 10, 20};   // shape [2,2]: channel 0 = {1,3}, channel 1 = {10,20}
        Transform.normalize(new float[] {2, 10}, new float[] {1, 5}).apply(x, 0, new int[] {2, 2}, null);
        assertThat(x).containsExactly(-1, 1, 0, 2);
        assertThatThrownBy(() -> Transform.normalize(new float[] {0}, new float[] {0})).hasMessageContaining("std [0.0]");
    }

    @Test
    void stratifiedSampleTakesExactlyNWithEachClassShare() {
        TensorDataset d = unbalanced(); // 600 / 300 / 100
        Subset s = Splits.stratifiedSample(d, 15, 3);
        assertThat(s.size()).isEqualTo(15);
        assertThat(s.classCounts()).containsExactly(9, 5, 1) // shares 9.0, 4.5, 1.5: largest remainders, ties to the lower class
                .isNotEqualTo(new int[] {9, 4, 2});
        Subset t = Splits.stratifiedSample(d, 17, 3); // 10.2, 5.1, 1.7 -> 10, 5, 2
        assertThat(t.classCounts()).containsExactly(10, 5, 2);
        assertThat(IntStream.of(t.indices()).distinct().count()).isEqualTo(17);
        assertThat(t.indices()).isSorted();
        assertThat(Splits.stratifiedSample(d, 17, 3).indices()).isEqualTo(t.indices());
        assertThat(Splits.stratifiedSample(d, 17, 4).indices()).isNotEqualTo(t.indices());
        assertThat(Splits.stratifiedSample(d, 1000, 1).size()).isEqualTo(1000);
        assertThatThrownBy(() -> Splits.stratifiedSample(d, 1001, 1)).hasMessageContaining("n 1001").hasMessageContaining("0..1000");
        assertThatThrownBy(() -> Splits.stratifiedSample(d, -1, 1)).hasMessageContaining("n -1");
    }
}
