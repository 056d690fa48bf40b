package dev.jumbo.estimate;

import java.util.List;

/**
 * Single-device memory of an LLM (no parallelism, no recomputation):
 * <ul>
 *   <li>weights at the chosen format ({@link WeightFormat}: int8/int4 as ggml Q8_0/Q4_0 blocks);
 *   <li>training: {@link ModelStates} (mixed-precision Adam, 16 bytes/parameter; fp32 Adam for
 *       fp32; int8/int4 formats train in bf16) plus activations per {@link ActivationMemory}
 *       (L layers) and the fp32 logits of the loss;
 *   <li>inference: weights + KV cache at (context = seq, batch) + the largest transient set of one
 *       layer (residual stream, its input and output, the widest intermediate; attention assumed
 *       fused so the s×s scores are not stored) + fp32 logits of the last token.
 * </ul>
 */
public final class LlmMemory {

    private LlmMemory() {}

    static Memory single(LlmConfig c, List<LayerRow> rows, long batch, long seq, WeightFormat f) {
        long params = rows.stream().mapToLong(LayerRow::totalParams).reduce(0, Math::addExact);
        long vectors = LlmModel.vectorParams(c);
        long weights = f.bytes(params - vectors, vectors);
        ModelStates.Bytes states = ModelStates.forFormat(f).perDevice(params, 0, 1);
        int act = f.activationBytes();
        double activations = c.layers() * ActivationMemory.perLayer(c, seq, batch, 1, false, Recompute.NONE, act)
                + ActivationMemory.logits(c, seq, batch, 1);
        long kvPerToken = LlmModel.kvBytesPerToken(c, act);
        long kv = Math.multiplyExact(Math.multiplyExact(kvPerToken, seq), batch);
        long training = Math.round(states.total() + activations);
        long inference = Math.addExact(Math.addExact(weights, kv), inferenceActivations(c, batch, seq, act));
        return new Memory(weights, Math.round(states.gradients()), Math.round(states.optimizer()), Math.round(activations),
                kv, kvPerToken, training, inference);
    }

    /** Peak transient bytes of one layer in a forward pass (see the class comment). */
    static long inferenceActivations(LlmConfig c, long batch, long seq, int act) {
        long h = c.hidden();
        long mlp = c.family().llamaLike() ? 2L * c.intermediate() * Math.max(1, c.expertsPerToken()) : c.intermediate();
        long widest = Math.max(c.qDim() + 2 * c.kvDim(), mlp);
        long logits = c.family() == LlmConfig.Family.BERT ? 0 : 4L * batch * c.vocab();
        return Math.addExact(Math.multiplyExact(Math.multiplyExact(batch, seq), (2 * h + widest) * act), logits);
    }
}
