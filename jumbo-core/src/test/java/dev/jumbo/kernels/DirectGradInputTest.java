package dev.jumbo.kernels;

import static dev.jumbo.kernels.TestArrays.assertClose;
import static dev.jumbo.kernels.TestArrays.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectGradInputTest {

    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    /** The kernel itself, called image by image and group by group, on any vector width (rows fit 8 lanes). */
    @ParameterizedTest(name = "n{0} cin{1} {2}x{3} cout{4} k{5}x{6} p{7},{8} d{9},{10} g{11}")
    @CsvSource({
        // n, cin, h, w, cout, kh, kw, ph, pw, dh, dw, groups
        "2, 6, 8, 8, 16, 5, 5, 2, 2, 1, 1, 1",     // whole tiles of channels, a row tile past the end
        "1, 5, 7, 6, 4, 3, 3, 0, 0, 1, 1, 1",      // channels past the last tile, "valid": oh < h
        "2, 4, 9, 7, 6, 3, 2, 2, 1, 2, 1, 2",      // dilated rows, uneven padding, two groups
        "1, 1, 3, 5, 2, 3, 3, 1, 1, 1, 1, 1",      // one channel, fewer rows than a tile
        "1, 7, 15, 8, 3, 1, 3, 0, 1, 1, 2, 1",     // 1 x 3 kernel dilated along x, 15 rows
    })
    void matchesTheNaiveReference(int n, int cin, int h, int w, int cout, int kh, int kw, int ph, int pw,
                                  int dh, int dw, int groups) {
        ConvGeometry g = new ConvGeometry(n, cin, h, w, cout, kh, kw, 1, 1, ph, pw, dh, dw, groups);
        assertThat(g.ow).isLessThanOrEqualTo(L);
        SplittableRandom rnd = new SplittableRandom(cin * 17 + h);
        float[] x = random(rnd, n * cin * h * w);
        float[] wt = random(rnd, cout * g.kdim);
        float[] dy = random(rnd, n * cout * g.pixels);

        DirectGradInput.Plan plan = DirectGradInput.plan(g, wt, 0);
        float[] buf = new float[plan.floats()];
        float[] dx = new float[x.length];
        Arrays.fill(dx, 9f); // overwritten
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                plan.fill(g, dy, (img * cout + grp * g.coutG) * g.pixels, buf, 0);
                DirectGradInput.gradInput(g, plan, grp, buf, 0, dx, (img * cin + grp * g.cinG) * h * w);
            }
        }
        assertClose("grad input", dx, ConvReference.backward(g, x, wt, dy)[0], 1e-4);
    }

    @Test
    void servesSmallMapsWhereItDoesFewerOperationsThanTheProductAndCol2im() {
        assumeTrue(L >= 16, "the 3 x 7 tile needs 32 vector registers");
        // LeNet conv2 and a 16-channel 16x16 layer: direct; a 10x10 "valid" layer with few output
        // pixels, ResNet's 56x56 maps, a strided layer and a pointwise one: not
        assertThat(DirectGradInput.applies(new ConvGeometry(64, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1))).isTrue();
        assertThat(DirectGradInput.applies(new ConvGeometry(64, 16, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1))).isTrue();
        assertThat(DirectGradInput.applies(new ConvGeometry(32, 8, 10, 10, 12, 3, 3, 1, 1, 0, 0, 1, 1, 1))).isFalse();
        assertThat(DirectGradInput.applies(new ConvGeometry(32, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1))).isFalse();
        assertThat(DirectGradInput.applies(new ConvGeometry(8, 6, 14, 14, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1))).isFalse();
        assertThat(DirectGradInput.applies(new ConvGeometry(8, 6, 14, 14, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1))).isFalse();
    }
}
