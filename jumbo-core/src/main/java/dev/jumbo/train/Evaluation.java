package dev.jumbo.train;

/**
 * The result of {@link Trainer#evaluate}: mean loss, accuracy, top-k accuracy and the confusion
 * matrix (per-class precision, recall, F1) over the examples seen.
 */
public record Evaluation(Metrics metrics) {
    public double loss() {
        return metrics.loss();
    }

    public double accuracy() {
        return metrics.accuracy();
    }

    public double topKAccuracy() {
        return metrics.topKAccuracy();
    }

    public ConfusionMatrix confusion() {
        return metrics.confusion();
    }

    public long count() {
        return metrics.count();
    }
}
