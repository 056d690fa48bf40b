package dev.jumbo.data;

import dev.jumbo.tensor.Tensor;

/**
 * A batch from a {@link DataLoader}: {@code inputs} of shape {@code [B, ...exampleShape]} (float32,
 * contiguous, owned by the caller), {@code labels} of shape {@code [B]} (int32) and, when a
 * {@link BatchTransform} such as mixup made them, soft {@code targets} of shape {@code [B, classes]}
 * (float32 probabilities, null otherwise). With soft targets, {@code labels} holds each row's
 * dominant class (the argmax of its targets), which accuracy is counted against.
 */
public record Batch(Tensor inputs, Tensor labels, Tensor targets) {

    /** A batch with hard labels only. */
    public Batch(Tensor inputs, Tensor labels) {
        this(inputs, labels, null);
    }

    /** The number of examples B. */
    public int size() {
        return labels.size(0);
    }

    /** What the loss compares the logits with: the soft targets when present, else the labels. */
    public Tensor lossTarget() {
        return targets != null ? targets : labels;
    }
}
