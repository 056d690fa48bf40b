package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LanesTest {

    /** The same rotate-and-add tree in scalar float arithmetic. */
    private static float scalarTree(float[] v) {
        float[] s = v.clone();
        for (int by = s.length / 2; by >= Math.max(1, s.length / 16); by /= 2) {
            float[] next = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                next[i] = s[i] + s[(i + by) % s.length];
            }
            s = next;
        }
        float t = 0f;
        for (int i = 0; i < Math.max(1, s.length / 16); i++) {
            t += s[i];
        }
        return t;
    }

    @Test
    void sumIsTheFixedTreeBitForBit() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 20_000; trial++) { // enough calls for C2 to compile sum() mid-loop
            float[] v = new float[lanes];
            for (int i = 0; i < lanes; i++) {
                v[i] = (float) ((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(8)));
            }
            float got = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0));
            assertThat(Float.floatToRawIntBits(got)).as("trial %d", trial)
                    .isEqualTo(Float.floatToRawIntBits(scalarTree(v)));
        }
    }
}
