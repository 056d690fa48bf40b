package dev.jumbo.data;

import dev.jumbo.tensor.Tensor;

/**
 * A batch from a {@link DataLoader}: {@code inputs} of shape {@code [B, ...exampleShape]} (float32,
 * contiguous, owned by the caller) and {@code labels} of shape {@code [B]} (int32).
 */
public record Batch(Tensor inputs, Tensor labels) {

    /** The number of examples B. */
    public int size() {
        return labels.size(0);
    }
}
