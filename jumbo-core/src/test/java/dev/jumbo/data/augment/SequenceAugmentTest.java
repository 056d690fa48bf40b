package dev.jumbo.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SequenceAugmentTest {

    static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void noiseAtSnrHasExactlyThatPowerRatio() {
        for (double snr : new double[] {-5, 0, 10, 30}) {
            float[] x = new float[3 * 40];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i * 0.3) * 2;
            }
            float[] clean = x.clone();
            SequenceAugment.noiseAtSnr(snr).apply(x, 0, new int[] {3, 40}, new Rng((long) snr + 100));
            double ps = 0;
            double pn = 0;
            for (int i = 0; i < x.length; i++) {
                ps += clean[i] * clean[i];
                pn += (x[i] - clean[i]) * (x[i] - clean[i]);
            }
            assertThat(10 * Math.log10(ps / pn)).as("snr " + snr).isCloseTo(snr, within(0.01));
        }
        float[] zeros = new float[8];
        SequenceAugment.noiseAtSnr(10).apply(zeros, 0, new int[] {8}, new Rng(1));
        assertThat(zeros).containsOnly(0f);
    }

    @Test
    void timeShiftMovesEveryRowTogether() {
        for (long seed = 0; seed < 10; seed++) {
            float[] x = ramp(2 * 10);
            SequenceAugment.timeShift(3, true).apply(x, 0, new int[] {2, 10}, new Rng(seed));
            int s = Math.floorMod((int) (1 - x[0]), 10);   // x[0] = in[-s mod 10]
            for (int r = 0; r < 2; r++) {
                for (int t = 0; t < 10; t++) {
                    assertThat(x[r * 10 + t]).isEqualTo(r * 10 + Math.floorMod(t - s, 10) + 1f);
                }
            }
            float[] z = ramp(10);
            SequenceAugment.timeShift(3, false).apply(z, 0, new int[] {10}, new Rng(seed));
            float[] sorted = z.clone();
            Arrays.sort(sorted);
            int zerosCount = 0;
            for (float v : z) {
                zerosCount += v == 0 ? 1 : 0;
            }
            assertThat(zerosCount).isBetween(0, 3);
        }
    }

    @Test
    void specAugmentMasksWholeSpansAndBands() {
        int f = 8;
        int t = 12;
        for (long seed = 0; seed < 20; seed++) {
            float[] x = ramp(2 * f * t);
            SequenceAugment.timeMask(4, 1, -1).apply(x, 0, new int[] {2, f, t}, new Rng(seed));
            int masked = 0;
            for (int col = 0; col < t; col++) {
                boolean m = x[col] == -1;
                masked += m ? 1 : 0;
                for (int c = 0; c < 2; c++) {
                    for (int row = 0; row < f; row++) {
                        assertThat(x[(c * f + row) * t + col] == -1).isEqualTo(m);  // whole column, every channel
                    }
                }
            }
            assertThat(masked).isBetween(0, 4);
            float[] y = ramp(f * t);
            SequenceAugment.frequencyMask(3, 2, -1).apply(y, 0, new int[] {f, t}, new Rng(seed));
            int rows = 0;
            for (int row = 0; row < f; row++) {
                boolean m = y[row * t] == -1;
                rows += m ? 1 : 0;
                for (int col = 0; col < t; col++) {
                    assertThat(y[row * t + col] == -1).isEqualTo(m);
                }
            }
            assertThat(rows).isBetween(0, 6);
        }
    }

    @Test
    void tokenDropoutAndSwapKeepTheTokens() {
        float[] ids = ramp(200);
        TokenAugment.dropout(0.25, 0).apply(ids, 0, new int[] {200}, new Rng(4));
        int dropped = 0;
        for (int i = 0; i < 200; i++) {
            if (ids[i] == 0) {
                dropped++;
            } else {
                assertThat(ids[i]).isEqualTo(i + 1f);
            }
        }
        assertThat(dropped).isBetween(30, 70);
        float[] s = ramp(200);
        TokenAugment.swap(0.3).apply(s, 0, new int[] {200}, new Rng(5));
        float[] sorted = s.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(ramp(200));      // a permutation of the tokens
        int moved = 0;
        for (int i = 0; i < 200; i++) {
            assertThat(Math.abs(s[i] - (i + 1))).isLessThanOrEqualTo(1f);
            moved += s[i] != i + 1 ? 1 : 0;
        }
        assertThat(moved).isPositive();
    }

    @Test
    void sameStreamSameResult() {
        Transform all = Augment.compose(SequenceAugment.timeShift(2, false), SequenceAugment.noiseAtSnr(10),
                SequenceAugment.frequencyMask(2, 1, 0), SequenceAugment.timeMask(3, 2, 0));
        float[] a = ramp(48);
        float[] b = ramp(48);
        all.apply(a, 0, new int[] {4, 12}, new Rng(8));
        all.apply(b, 0, new int[] {4, 12}, new Rng(8));
        assertThat(a).containsExactly(b);
    }

    @Test
    void invalidParametersNameTheParameterAndValue() {
        assertThatThrownBy(() -> SequenceAugment.timeShift(-1, true)).hasMessageContaining("maxShift -1");
        assertThatThrownBy(() -> SequenceAugment.noiseAtSnr(Double.NaN)).hasMessageContaining("snrDb NaN");
        assertThatThrownBy(() -> SequenceAugment.timeMask(-2, 1, 0)).hasMessageContaining("maxWidth -2");
        assertThatThrownBy(() -> SequenceAugment.timeMask(20, 1, 0).apply(new float[10], 0, new int[] {10}, new Rng(1)))
                .hasMessageContaining("maxWidth 20").hasMessageContaining("10 frames");
        assertThatThrownBy(() -> SequenceAugment.frequencyMask(1, 1, 0).apply(new float[10], 0, new int[] {10}, new Rng(1)))
                .hasMessageContaining("[10]");
        assertThatThrownBy(() -> TokenAugment.dropout(2, 0)).hasMessageContaining("p 2.0");
        assertThatThrownBy(() -> TokenAugment.swap(-0.5)).hasMessageContaining("p -0.5");
    }
}
