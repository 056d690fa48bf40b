package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;
import dev.jumbo.tensor.Rng;
import java.util.Arrays;

/**
 * Augmentations for sequences and audio features: examples of shape {@code [T]} (a waveform),
 * {@code [F,T]} (a spectrogram: frequencies x frames) or {@code [C,F,T]}; time is always the last
 * axis. For int-token sequences see {@link TokenAugment}.
 *
 * <pre>{@code
 * Transform spec = Augment.compose(
 *         SequenceAugment.timeShift(10, false),
 *         SequenceAugment.noiseAtSnr(20),                 // noise power exactly 1/100 of the signal's
 *         SequenceAugment.frequencyMask(8, 2, 0f),        // SpecAugment: 2 bands of up to 8 bins
 *         SequenceAugment.timeMask(20, 2, 0f));           // and 2 spans of up to 20 frames
 * }</pre>
 */
public final class SequenceAugment {
    private SequenceAugment() {}

    /**
     * Shifts every row along time by a uniform {@code s} in {@code [-maxShift, maxShift]} frames:
     * {@code out[t] = in[t - s]}, wrapping around when {@code roll}, else reading 0 outside.
     */
    public static Transform timeShift(int maxShift, boolean roll) {
        int max = Check.nonNegative("timeShift", "maxShift", maxShift);
        return (x, off, shape, rng) -> {
            int[] g = Check.sequence("timeShift", shape);
            int t = g[2];
            int s = rng.nextInt(2 * max + 1) - max;
            if (s == 0) {
                return;
            }
            int n = g[0] * g[1] * t;
            float[] src = Scratch.copy(x, off, n);
            for (int row = 0; row < n; row += t) {
                for (int i = 0; i < t; i++) {
                    int from = i - s;
                    if (roll) {
                        from = Math.floorMod(from, t);
                    }
                    x[off + row + i] = from >= 0 && from < t ? src[row + from] : 0f;
                }
            }
        };
    }

    /**
     * Adds Gaussian noise scaled so that the signal-to-noise power ratio of the example is exactly
     * {@code snrDb} decibels: {@code 10 log10(sum x^2 / sum n^2) = snrDb} over the noise actually
     * drawn (not just in expectation). An all-zero example is left as it is.
     */
    public static Transform noiseAtSnr(double snrDb) {
        double ratio = Math.pow(10, Check.finite("noiseAtSnr", "snrDb", snrDb) / 10);
        return (x, off, shape, rng) -> {
            int n = Check.numel(shape);
            float[] noise = Scratch.get(n);
            Arrays.fill(noise, 0, n, 0f);
            GaussianNoise.addNoise(noise, 0, n, 1, rng);
            double ps = 0;
            double pn = 0;
            for (int i = 0; i < n; i++) {
                ps += (double) x[off + i] * x[off + i];
                pn += (double) noise[i] * noise[i];
            }
            if (ps == 0 || pn == 0) {
                return;
            }
            float k = (float) Math.sqrt(ps / (pn * ratio));
            for (int i = 0; i < n; i++) {
                x[off + i] += k * noise[i];
            }
        };
    }

    /**
     * SpecAugment time masking (Park et al. 2019): {@code count} times, a span of width uniform in
     * {@code [0, maxWidth]} frames starting uniformly where it fits is set to {@code value} in every
     * channel and frequency.
     */
    public static Transform timeMask(int maxWidth, int count, double value) {
        return mask("timeMask", maxWidth, count, value, true);
    }

    /** SpecAugment frequency masking: {@code count} bands of up to {@code maxWidth} bins set to {@code value}. */
    public static Transform frequencyMask(int maxWidth, int count, double value) {
        return mask("frequencyMask", maxWidth, count, value, false);
    }

    private static Transform mask(String op, int maxWidth, int count, double value, boolean time) {
        int max = Check.nonNegative(op, "maxWidth", maxWidth);
        int masks = Check.nonNegative(op, "count", count);
        float v = Check.finite(op, "value", value);
        return (x, off, shape, rng) -> {
            int[] g = Check.sequence(op, shape);
            if (!time && shape.length < 2) {
                throw new IllegalArgumentException(op + ": example shape " + Arrays.toString(shape)
                        + ": expected [F,T] or [C,F,T] (a frequency axis)");
            }
            int f = g[1];
            int t = g[2];
            int axis = time ? t : f;
            if (max > axis) {
                throw new IllegalArgumentException(op + ": maxWidth " + max + " is larger than the " + axis
                        + (time ? " frames" : " frequency bins") + ": expected at most " + axis);
            }
            for (int m = 0; m < masks; m++) {
                int width = rng.nextInt(max + 1);
                int start = rng.nextInt(axis - width + 1);
                for (int c = 0; c < g[0]; c++) {
                    int plane = off + c * f * t;
                    if (time) {
                        for (int row = 0; row < f; row++) {
                            Arrays.fill(x, plane + row * t + start, plane + row * t + start + width, v);
                        }
                    } else {
                        Arrays.fill(x, plane + start * t, plane + (start + width) * t, v);
                    }
                }
            }
        };
    }
}
