package dev.jumbo.data.augment;

import dev.jumbo.data.Transform;

/**
 * Augmentations for token sequences. Jumbo's loaders hold every example as floats, so a token
 * sequence is an example of shape {@code [T]} whose values are integer token ids (exact up to
 * 2^24); these transforms move and replace those values and never compute with them.
 *
 * <pre>{@code
 * Transform text = Augment.compose(TokenAugment.dropout(0.1, UNK_ID), TokenAugment.swap(0.05));
 * }</pre>
 */
public final class TokenAugment {
    private TokenAugment() {}

    /** Replaces each token, independently with probability {@code p}, by {@code replacementId} (e.g. an unknown or mask id). */
    public static Transform dropout(double p, int replacementId) {
        float prob = Check.probability("tokenDropout", "p", p);
        Check.nonNegative("tokenDropout", "replacementId", replacementId);
        float id = replacementId;
        return (x, off, shape, rng) -> {
            for (int i = off, end = off + Check.numel(shape); i < end; i++) {
                if (rng.nextFloat() < prob) {
                    x[i] = id;
                }
            }
        };
    }

    /**
     * Swaps neighbouring tokens: scanning left to right, each position {@code i} is swapped with
     * {@code i + 1} with probability {@code p}; a swapped pair is then skipped, so no token moves more
     * than one place.
     */
    public static Transform swap(double p) {
        float prob = Check.probability("tokenSwap", "p", p);
        return (x, off, shape, rng) -> {
            int end = off + Check.numel(shape);
            for (int i = off; i + 1 < end; i++) {
                if (rng.nextFloat() < prob) {
                    float t = x[i];
                    x[i] = x[i + 1];
                    x[i + 1] = t;
                    i++;
                }
            }
        };
    }
}
