package dev.jumbo.kernels;

import static dev.jumbo.kernels.TestArrays.assertClose;
import static dev.jumbo.kernels.TestArrays.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Conv2dTest {

    @ParameterizedTest(name = "n{0} cin{1} {2}x{3} cout{4} k{5}x{6} s{7},{8} p{9},{10} d{11},{12} g{13}")
    @CsvSource({
        // n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups
        "1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1",
        "2, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1, 1",
        "2, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1",
        // one image on the batched path's small-channel product (a server's batch of one), with
        // masked tails of 4 and 17 pixels after the 32-pixel steps, through 8-, 4- and 1-row tiles
        "1, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1, 1",
        "1, 6, 13, 13, 13, 5, 5, 1, 1, 0, 0, 1, 1, 1",
        "2, 3, 12, 16, 4, 5, 3, 1, 1, 2, 1, 1, 1, 1",
        "1, 2, 5, 15, 3, 4, 6, 1, 1, 3, 5, 1, 1, 1",
        "2, 1, 7, 7, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1",
        "3, 7, 17, 9, 5, 3, 2, 2, 3, 1, 0, 1, 1, 1",
        "2, 4, 9, 11, 6, 3, 3, 1, 2, 2, 1, 2, 3, 2",
        "2, 7, 8, 13, 7, 3, 3, 2, 1, 1, 2, 1, 1, 7",
        "1, 6, 17, 7, 12, 5, 1, 3, 1, 2, 0, 1, 1, 3",
        "5, 17, 5, 6, 4, 1, 1, 1, 1, 0, 0, 1, 1, 1",
        "2, 4, 6, 6, 8, 1, 1, 2, 2, 0, 0, 1, 1, 2",
        "3, 2, 10, 10, 3, 7, 7, 1, 1, 3, 3, 1, 1, 1",
        "1, 3, 1, 17, 2, 1, 3, 1, 2, 0, 1, 1, 2, 1",
        // more than Conv2d.SMALL_COUT output channels per group: the SGEMM path
        "2, 3, 9, 9, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1",
        "2, 4, 7, 8, 34, 3, 3, 2, 1, 1, 0, 1, 2, 2",
        "3, 5, 6, 7, 17, 1, 1, 1, 1, 0, 0, 1, 1, 1",
        "1, 17, 7, 7, 17, 3, 3, 1, 1, 2, 2, 2, 2, 17",
        // more pixels than Conv2d.BATCH_COLUMNS / 2: one image per product (grad weight as dots up to
        // Conv2d.DOTS_COUT channels, SGEMM above), 17 pixels per row (col2im across vector lanes)
        "2, 3, 30, 17, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1",
        "1, 2, 29, 23, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1",
        // unfolded Conv2d.CHUNK_COLUMNS output pixels at a time, last chunk partial: a "valid"
        // convolution (general unfolding) and a strided one
        "1, 3, 45, 30, 20, 5, 3, 1, 1, 0, 0, 1, 1, 1",
        "2, 4, 50, 41, 18, 3, 3, 2, 2, 1, 1, 1, 1, 1",
        // input channels per group a multiple of the SGEMM panel width (16 or 32): grad weight
        // packed from a channels-last copy of the image (ChannelsLastPanels), also grouped, strided,
        // dilated, with a rectangular kernel and uneven padding, in row chunks
        "2, 32, 22, 22, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1",
        "1, 64, 45, 45, 40, 3, 3, 2, 2, 2, 2, 2, 2, 2",
        "1, 32, 30, 26, 24, 3, 5, 1, 1, 0, 2, 1, 1, 1",
    })
    void forwardAndBackwardMatchNaiveReference(int n, int cin, int h, int w, int cout, int kh, int kw, int sh,
                                               int sw, int ph, int pw, int dh, int dw, int groups) {
        ConvGeometry g = new ConvGeometry(n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups);
        SplittableRandom rnd = new SplittableRandom(n * 31 + cin * 7 + h);
        float[] x = random(rnd, n * cin * h * w);
        float[] wt = random(rnd, cout * g.kdim);
        float[] b = random(rnd, cout);
        float[] dy = random(rnd, n * cout * g.pixels);

        // at an offset, to check offsets are honoured
        float[] xPad = new float[x.length + 5];
        System.arraycopy(x, 0, xPad, 5, x.length);
        float[] y = new float[dy.length + 3];
        Conv2d.forward(g, xPad, 5, wt, 0, b, 0, y, 3);
        float[] yOut = java.util.Arrays.copyOfRange(y, 3, y.length);
        assertClose("forward", yOut, ConvReference.forward(g, x, wt, b), 1e-4);

        float[][] ref = ConvReference.backward(g, x, wt, dy);
        float[] dx = new float[x.length];
        float[] dwt = new float[wt.length];
        float[] db = new float[cout];
        java.util.Arrays.fill(dx, 9f); // overwritten, not accumulated
        java.util.Arrays.fill(dwt, 9f);
        Conv2d.backward(g, xPad, 5, wt, 0, dy, 0, dx, dwt, db);
        assertClose("grad input", dx, ref[0], 1e-4);
        assertClose("grad weight", dwt, ref[1], 1e-4);
        assertClose("grad bias", db, ref[2], 1e-4);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3"})
    void backwardIsDeterministicAndIndependentOfSkippedOutputs(int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            ConvGeometry g = new ConvGeometry(5, 3, 9, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            SplittableRandom rnd = new SplittableRandom(3);
            float[] x = random(rnd, 5 * 3 * 81);
            float[] wt = random(rnd, 4 * g.kdim);
            float[] dy = random(rnd, 5 * 4 * g.pixels);
            float[] dw1 = new float[wt.length];
            float[] dw2 = new float[wt.length];
            Conv2d.backward(g, x, 0, wt, 0, dy, 0, new float[x.length], dw1, null);
            Conv2d.backward(g, x, 0, wt, 0, dy, 0, null, dw2, null);
            assertThat(dw2).containsExactly(dw1);
            assertClose("grad weight", dw1, ConvReference.backward(g, x, wt, dy)[1], 1e-4);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @org.junit.jupiter.api.Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        int before = Parallel.threads();
        ConvGeometry g = new ConvGeometry(11, 4, 9, 8, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = random(rnd, 11 * 4 * 72);
        float[] wt = random(rnd, 20 * g.kdim);
        float[] dy = random(rnd, 11 * 20 * g.pixels);
        float[][] first = null;
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] y = new float[dy.length];
                float[] dx = new float[x.length];
                float[] dw = new float[wt.length];
                float[] db = new float[20];
                Conv2d.forward(g, x, 0, wt, 0, null, 0, y, 0);
                Conv2d.backward(g, x, 0, wt, 0, dy, 0, dx, dw, db);
                if (first == null) {
                    first = new float[][] {y, dx, dw, db};
                } else {
                    assertThat(y).containsExactly(first[0]);
                    assertThat(dx).containsExactly(first[1]);
                    assertThat(dw).containsExactly(first[2]);
                    assertThat(db).containsExactly(first[3]);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
