package dev.jumbo.train;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates classification metrics over batches: mean loss, accuracy, top-k accuracy and a
 * {@link ConfusionMatrix}. Reads the logits' floats directly (no tensor ops, no allocation per
 * batch beyond a k-sized scratch array).
 *
 * <pre>{@code
 * Metrics m = new Metrics(10, 5);
 * m.update(logits, labels, loss.item());   // logits [N,10], labels int32 [N], mean loss of the batch
 * m.accuracy(); m.topKAccuracy(); m.confusion().f1(3);
 * }</pre>
 */
public final class Metrics {
    private final int numClasses;
    private final int k;
    private final ConfusionMatrix confusion;
    private double lossSum;
    private long seen;
    private long correct;
    private long topKCorrect;

    /** {@code k} is clamped to the number of classes. */
    public Metrics(int numClasses, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Metrics: top-k " + k + ": expected k >= 1");
        }
        this.numClasses = numClasses;
        this.k = Math.min(k, numClasses);
        this.confusion = new ConfusionMatrix(numClasses);
    }

    /**
     * Adds a batch: {@code logits} [N, C] (scores or probabilities), {@code labels} int32 [N] and the
     * batch's mean loss (NaN when there is none).
     */
    public void update(Tensor logits, Tensor labels, double meanLoss) {
        int nb = logits.size(0);
        if (logits.dim() != 2 || logits.size(1) != numClasses || labels.numel() != nb) {
            throw new IllegalArgumentException("Metrics.update: logits " + java.util.Arrays.toString(logits.shape())
                    + ", labels " + java.util.Arrays.toString(labels.shape()) + ": expected [N," + numClasses + "] and [N]");
        }
        Tensor lc = logits.contiguous();
        Tensor yc = labels.contiguous();
        float[] z = lc.data();
        int[] y = yc.intData();
        for (int i = 0; i < nb; i++) {
            int off = lc.offset() + i * numClasses;
            int label = y[yc.offset() + i];
            int pred = argmax(z, off, numClasses);
            confusion.add(label, pred);
            if (pred == label) {
                correct++;
            }
            if (rank(z, off, numClasses, label) < k) {
                topKCorrect++;
            }
        }
        seen += nb;
        lossSum += meanLoss * nb;
    }

    /** Index of the largest of {@code n} floats at {@code off}; the first one on ties. */
    static int argmax(float[] z, int off, int n) {
        int best = 0;
        float bv = z[off];
        for (int c = 1; c < n; c++) {
            if (z[off + c] > bv) {
                bv = z[off + c];
                best = c;
            }
        }
        return best;
    }

    /** How many classes score strictly higher than {@code label}, or ties with it from a lower index. */
    private static int rank(float[] z, int off, int n, int label) {
        float v = z[off + label];
        int r = 0;
        for (int c = 0; c < n; c++) {
            float s = z[off + c];
            if (s > v || (s == v && c < label)) {
                r++;
            }
        }
        return r;
    }

    public long count() {
        return seen;
    }

    public double loss() {
        return seen == 0 ? Double.NaN : lossSum / seen;
    }

    public double accuracy() {
        return seen == 0 ? Double.NaN : (double) correct / seen;
    }

    public int k() {
        return k;
    }

    public double topKAccuracy() {
        return seen == 0 ? Double.NaN : (double) topKCorrect / seen;
    }

    public ConfusionMatrix confusion() {
        return confusion;
    }

    /** {@code loss}, {@code accuracy}, {@code top<k>_accuracy}, {@code macro_f1}, each key with {@code prefix}. */
    public Map<String, Double> toLogs(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", loss());
        m.put(prefix + "accuracy", accuracy());
        m.put(prefix + "top" + k + "_accuracy", topKAccuracy());
        m.put(prefix + "macro_f1", confusion.macroF1());
        return m;
    }
}
