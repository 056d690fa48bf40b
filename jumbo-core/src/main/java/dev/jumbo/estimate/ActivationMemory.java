package dev.jumbo.estimate;

/**
 * Activation memory saved for backward by one transformer layer, from Korthikanti et al. 2022,
 * "Reducing Activation Recomputation in Large Transformer Models" (arXiv:2205.05198), Table 2, for
 * 16-bit activations, with s = sequence length, b = micro-batch, h = hidden size, a = heads and
 * t = tensor-parallel size:
 * <pre>
 *   no parallelism                            s·b·h·(34 + 5·a·s/h)
 *   tensor parallel                           s·b·h·(10 + 24/t + 5·a·s/(h·t))
 *   tensor + sequence parallel                s·b·h·(34 + 5·a·s/h) / t
 *   tensor parallel + selective recompute     s·b·h·(10 + 24/t)
 *   tensor + sequence parallel + selective    s·b·h·34 / t
 *   full recomputation                        2·s·b·h        (only the layer input is kept;
 *                                                            / t with sequence parallelism)
 * </pre>
 * The 34 counts the GPT block of that paper (4h GELU MLP, dropout masks, LayerNorm inputs); the
 * 5·a·s/h term is the softmax input/output and its dropout mask (a·s² per sample), which a fused
 * (FlashAttention-style) kernel would not store. For other blocks (SwiGLU, GQA) the formula is the
 * paper's approximation, not an exact count. With 1F1B pipelining the first stage holds p
 * micro-batches of L/p layers, i.e. L layers' worth whatever p is (the paper's Section 4.2).
 * fp32 activations double the figures.
 */
public final class ActivationMemory {

    private ActivationMemory() {}

    /**
     * Bytes one layer keeps for backward.
     *
     * @param sequenceParallel sequence parallelism on (only meaningful with {@code t > 1})
     */
    public static double perLayer(long s, long b, long h, long a, int t, boolean sequenceParallel, Recompute recompute) {
        double sbh = (double) s * b * h;
        double scores = 5.0 * a * s / h;
        boolean sp = sequenceParallel && t > 1;
        return switch (recompute) {
            case NONE -> sp ? sbh * (34 + scores) / t : sbh * (10 + 24.0 / t + scores / t);
            case SELECTIVE -> sp ? sbh * 34 / t : sbh * (10 + 24.0 / t);
            case FULL -> sp ? 2 * sbh / t : 2 * sbh;
        };
    }

    /** {@link #perLayer} for a config, scaled to the activation element size (2 bytes = the paper's case). */
    public static double perLayer(LlmConfig c, long s, long b, int t, boolean sp, Recompute r, int actBytes) {
        return perLayer(s, b, c.hidden(), c.heads(), t, sp, r) * actBytes / 2.0;
    }

    /** fp32 logits kept for the cross-entropy loss at the last stage: 4·s·b·V / t bytes (our addition; 0 for encoders). */
    public static double logits(LlmConfig c, long s, long b, int t) {
        return c.family() == LlmConfig.Family.BERT ? 0 : 4.0 * s * b * c.vocab() / t;
    }
}
