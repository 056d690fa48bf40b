package dev.jumbo.data.augment;

import dev.jumbo.data.Batch;
import dev.jumbo.data.BatchTransform;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.Arrays;

/**
 * CutMix (Yun et al. 2019): one {@code lambda ~ Beta(alpha, alpha)} per batch, a box of side
 * {@code sqrt(1 - lambda)} times the image's sides centred uniformly (clipped at the borders), and a
 * random partner {@code perm[i]} per row: the box of image {@code i} is replaced by the same box of
 * image {@code perm[i]}, and the targets are mixed by the area actually kept,
 * {@code lambda' = 1 - box area / image area}. Inputs are {@code [B,C,H,W]} or {@code [B,H,W]}.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(data).batchSize(64).shuffle(true).seed(1)
 *         .batchTransform(new CutMix(1.0, 10)).build();
 * }</pre>
 */
public final class CutMix implements BatchTransform {
    private final float alpha;
    private final int classes;

    /**
     * @param alpha      the Beta distribution's parameter, {@code > 0} (1.0 in the paper)
     * @param numClasses the number of classes of the soft targets
     */
    public CutMix(double alpha, int numClasses) {
        this.alpha = Mixing.alpha("cutmix", alpha);
        this.classes = Mixing.classes("cutmix", numClasses);
    }

    @Override
    public Batch apply(Batch batch, Rng rng) {
        Tensor in = batch.inputs().contiguous();
        int[] s = in.shape();
        if (s.length != 3 && s.length != 4) {
            throw new IllegalArgumentException("cutmix: inputs " + Arrays.toString(s) + ": expected [B,C,H,W] or [B,H,W]");
        }
        int n = s[0];
        int c = s.length == 4 ? s[1] : 1;
        int h = s[s.length - 2];
        int w = s[s.length - 1];
        double lambda = Mixing.beta(rng, alpha);
        int[] perm = Mixing.permutation(rng, n);
        float[] t = Mixing.targets("cutmix", batch, classes);
        double r = Math.sqrt(1 - lambda);
        int cutH = (int) (h * r);
        int cutW = (int) (w * r);
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        int y0 = Math.max(0, cy - cutH / 2);
        int y1 = Math.min(h, cy + cutH / 2);
        int x0 = Math.max(0, cx - cutW / 2);
        int x1 = Math.min(w, cx + cutW / 2);
        double kept = 1 - (double) (y1 - y0) * (x1 - x0) / ((double) h * w);
        if (y1 > y0 && x1 > x0) {
            float[] x = in.data();
            int off = in.offset();
            int per = c * h * w;
            float[] src = Scratch.copy(x, off, n * per);
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = y0; y < y1; y++) {
                        int row = (ch * h + y) * w + x0;
                        System.arraycopy(src, perm[i] * per + row, x, off + i * per + row, x1 - x0);
                    }
                }
            }
        }
        return Mixing.mixed(in, t, perm, kept, classes);
    }

    @Override
    public String toString() {
        return "cutmix(alpha " + alpha + ")";
    }
}
