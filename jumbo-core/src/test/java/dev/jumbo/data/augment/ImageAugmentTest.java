package dev.jumbo.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageAugmentTest {
    static final int[] SHAPE = {2, 7, 9};

    /** A [2,7,9] image with distinct values. */
    static float[] image() {
        float[] x = new float[2 * 7 * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** {@code t} applied to a copy of {@link #image()} at an offset, with a rng of {@code seed}. */
    static float[] applied(Transform t, long seed) {
        float[] buf = new float[5 + 126 + 3];
        System.arraycopy(image(), 0, buf, 5, 126);
        t.apply(buf, 5, SHAPE, new Rng(seed));
        assertThat(buf[0]).isZero();
        assertThat(buf[buf.length - 1]).isZero(); // nothing written outside the example
        return java.util.Arrays.copyOfRange(buf, 5, 131);
    }

    static List<Transform> all() {
        return List.of(new RandomCrop(7, 9, 3, PadMode.ZERO), new RandomCrop(7, 9, 2, PadMode.REFLECT),
                new RandomCrop(5, 6, 1, PadMode.EDGE), new HorizontalFlip(0.5), RandomAffine.rotation(30, 0),
                new RandomAffine(10, 0.2, 0.1, 0.8, 1.2, 10, -1), RandomErasing.erasing(1, 0.02, 0.33, 0.3, 3.3, 0),
                RandomErasing.cutout(1, 3, 0), new GaussianNoise(0.1, 1), new ColorJitter(0.3, 0.3),
                Augment.image(2, 7, 9).randomCrop(2, PadMode.ZERO).hflip(0.5).erasing(0.5).build());
    }

    @Test
    void everyTransformIsAPureFunctionOfItsRandomStream() {
        for (Transform t : all()) {
            boolean changedSome = false;
            for (long seed = 0; seed < 8; seed++) {
                float[] a = applied(t, seed);
                assertThat(applied(t, seed)).as(t.toString()).containsExactly(a);
                changedSome |= !java.util.Arrays.equals(a, image());
            }
            assertThat(changedSome).as(t + " changes some image").isTrue();
        }
    }

    @Test
    void hflipTwiceIsTheIdentityAndMirrorsRows() {
        HorizontalFlip f = new HorizontalFlip(1);
        float[] x = image();
        f.apply(x, 0, SHAPE, new Rng(1));
        assertThat(x[0]).isEqualTo(9f);
        assertThat(x[8]).isEqualTo(1f);
        assertThat(x[63]).isEqualTo(72f); // second channel, first row
        f.apply(x, 0, SHAPE, new Rng(2));
        assertThat(x).containsExactly(image());
        float[] y = image();
        new HorizontalFlip(0).apply(y, 0, SHAPE, new Rng(3));
        assertThat(y).containsExactly(image());
    }

    @Test
    void fullSizeCropWithoutPaddingIsTheIdentity() {
        for (long seed = 0; seed < 5; seed++) {
            assertThat(applied(new RandomCrop(7, 9, 0, PadMode.ZERO), seed)).containsExactly(image());
        }
    }

    @Test
    void cropIsAShiftOfThePaddedImage() {
        float[] src = image();
        for (PadMode mode : PadMode.values()) {
            for (long seed = 0; seed < 20; seed++) {
                float[] out = applied(new RandomCrop(7, 9, 3, mode), seed);
                // find the shift that explains the output, checked against the padding rule
                boolean found = false;
                for (int dy = -3; dy <= 3 && !found; dy++) {
                    for (int dx = -3; dx <= 3 && !found; dx++) {
                        boolean ok = true;
                        for (int c = 0; c < 2 && ok; c++) {
                            for (int y = 0; y < 7 && ok; y++) {
                                for (int x = 0; x < 9 && ok; x++) {
                                    int sy = mode.index(y + dy, 7);
                                    int sx = mode.index(x + dx, 9);
                                    float want = sy < 0 || sx < 0 ? 0 : src[(c * 7 + sy) * 9 + sx];
                                    ok = out[(c * 7 + y) * 9 + x] == want;
                                }
                            }
                        }
                        found = ok;
                    }
                }
                assertThat(found).as(mode + " seed " + seed).isTrue();
            }
        }
        assertThat(PadMode.REFLECT.index(-1, 5)).isEqualTo(1);
        assertThat(PadMode.REFLECT.index(5, 5)).isEqualTo(3);
        assertThat(PadMode.EDGE.index(-2, 5)).isZero();
    }

    @Test
    void erasingStaysInsideTheImageAndWithinItsAreaBounds() {
        RandomErasing e = RandomErasing.erasing(1, 0.05, 0.2, 0.5, 2, -7);
        for (long seed = 0; seed < 50; seed++) {
            float[] out = applied(e, seed);
            int erased = 0;
            for (float v : out) {
                erased += v == -7 ? 1 : 0;
            }
            if (erased == 0) {
                continue; // 10 draws that did not fit: allowed, rare
            }
            int perChannel = erased / 2;
            // rounding the sides moves the area a little beyond [0.05, 0.2] x 63
            assertThat(perChannel).as("seed " + seed).isBetween(1, (int) Math.ceil(0.2 * 63 * 1.6));
            // the same rectangle in both channels
            for (int i = 0; i < 63; i++) {
                assertThat(out[i] == -7).isEqualTo(out[63 + i] == -7);
            }
        }
        RandomErasing cut = RandomErasing.cutout(1, 4, -7);
        for (long seed = 0; seed < 30; seed++) {
            int erased = 0;
            for (float v : applied(cut, seed)) {
                erased += v == -7 ? 1 : 0;
            }
            assertThat(erased / 2).isBetween(4, 16);  // a clipped 4x4 square keeps at least 2x2
        }
    }

    @Test
    void affineWarpsAreExactOnTheGrid() {
        assertThat(applied(new RandomAffine(0, 0, 0, 1, 1, 0, 0), 3)).containsExactly(image());
        int[] g = {1, 5, 5};
        float[] src = new float[25];
        for (int i = 0; i < 25; i++) {
            src[i] = i + 1;
        }
        // 90 degrees counter-clockwise on screen: the right-hand middle pixel (y 2, x 4) goes to the top middle (0, 2)
        float[] r = src.clone();
        RandomAffine.warp(r, 0, g, 90, 0, 0, 1, 0, -1);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertThat(r[y * 5 + x]).isCloseTo(src[x * 5 + (4 - y)], within(1e-4f));
            }
        }
        // a shift by (1, -2) pixels; what comes in from outside is the fill value
        float[] t = src.clone();
        RandomAffine.warp(t, 0, g, 0, 1, -2, 1, 0, -1);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                int sy = y + 2;
                int sx = x - 1;
                float want = sy < 5 && sx >= 0 ? src[sy * 5 + sx] : -1;
                assertThat(t[y * 5 + x]).isCloseTo(want, within(1e-4f));
            }
        }
        // zoom 2 keeps the centre and halves distances to it: (2, 3) reads (2, 2.5)
        float[] z = src.clone();
        RandomAffine.warp(z, 0, g, 0, 0, 0, 2, 0, 0);
        assertThat(z[12]).isEqualTo(13f);
        assertThat(z[2 * 5 + 3]).isCloseTo((13f + 14f) / 2, within(1e-4f));
        // a 45-degree x-shear moves row y by (y - 2) * tan 45 = y - 2 pixels to the right
        float[] s = src.clone();
        RandomAffine.warp(s, 0, g, 0, 0, 0, 1, 45, -1);
        assertThat(s[2 * 5 + 1]).isCloseTo(src[2 * 5 + 1], within(1e-4f));   // the centre row stays
        assertThat(s[4 * 5 + 3]).isCloseTo(src[4 * 5 + 1], within(1e-4f));   // two rows below: shifted by 2
    }

    @Test
    void noiseAndJitterHaveTheirStatistics() {
        int n = 20000;
        float[] x = new float[n];
        new GaussianNoise(0.5, 1).apply(x, 0, new int[] {n}, new Rng(7));
        double s = 0;
        double s2 = 0;
        for (float v : x) {
            s += v;
            s2 += v * v;
        }
        assertThat(s / n).isCloseTo(0, within(0.02));
        assertThat(Math.sqrt(s2 / n)).isCloseTo(0.5, within(0.02));
        // contrast keeps the mean (times brightness); contrast 0 and brightness 0 is the identity
        assertThat(applied(new ColorJitter(0, 0), 1)).containsExactly(image());
        float[] j = applied(new ColorJitter(0, 0.5), 2);
        double mean = 0;
        for (float v : j) {
            mean += v;
        }
        assertThat(mean / j.length).isCloseTo(63.5, within(1e-3));
    }

    @Test
    void invalidParametersNameTheParameterAndValue() {
        assertThatThrownBy(() -> new RandomCrop(28, 28, -1, PadMode.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padding -1");
        assertThatThrownBy(() -> new HorizontalFlip(1.5)).hasMessageContaining("p 1.5").hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Augment.image(1, 28, 28).randomCrop(40, 40, 4, PadMode.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crop 40x40")
                .hasMessageContaining("padded image 36x36");
        assertThatThrownBy(() -> Augment.image(1, 28, 28).randomCrop(28, PadMode.REFLECT))
                .hasMessageContaining("padding 28");
        assertThatThrownBy(() -> Augment.image(1, 28, 28).cutout(0.5, 30)).hasMessageContaining("size 30");
        assertThatThrownBy(() -> RandomErasing.erasing(-0.1, 0.02, 0.33, 0.3, 3.3, 0)).hasMessageContaining("p -0.1");
        assertThatThrownBy(() -> RandomErasing.erasing(0.5, 0.5, 0.2, 0.3, 3.3, 0)).hasMessageContaining("scale [0.5, 0.2]");
        assertThatThrownBy(() -> new RandomAffine(200, 0, 0, 1, 1, 0, 0)).hasMessageContaining("degrees 200");
        assertThatThrownBy(() -> new RandomAffine(0, 0, 0, 0, 1, 0, 0)).hasMessageContaining("scale [0.0, 1.0]");
        assertThatThrownBy(() -> new RandomAffine(0, 1.5, 0, 1, 1, 0, 0)).hasMessageContaining("translateX 1.5");
        assertThatThrownBy(() -> new GaussianNoise(-1, 1)).hasMessageContaining("std -1");
        assertThatThrownBy(() -> new ColorJitter(0.1, Double.NaN)).hasMessageContaining("contrast NaN");
        assertThatThrownBy(() -> new RandomCrop(30, 30, 0, PadMode.ZERO).apply(new float[784], 0, new int[] {1, 28, 28},
                new Rng(1))).hasMessageContaining("crop 30x30");
        assertThatThrownBy(() -> Augment.standard(28, 28).apply(new float[900], 0, new int[] {1, 30, 30}, new Rng(1)))
                .hasMessageContaining("[1, 30, 30]");
    }

    @Test
    void pipelinesListTheirSteps() {
        assertThat(Augment.standard(28, 28).toString()).contains("randomCrop(28x28, padding 2, ZERO)")
                .contains("hflip(p 0.5)");
        assertThat(Augment.compose(new HorizontalFlip(1), new HorizontalFlip(1)).toString()).contains(" -> ");
        assertThat(applied(Augment.compose(new HorizontalFlip(1), new HorizontalFlip(1)), 1)).containsExactly(image());
    }
}
