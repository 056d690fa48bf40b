package dev.jumbo.estimate;

/**
 * Inference latency by roofline: a step takes {@code max(FLOPs / peak, bytes / bandwidth)} on
 * k devices splitting the model ideally (tensor parallel, no communication time), at 100% of the
 * datasheet peaks, so these are lower bounds on latency (upper bounds on tokens/s).
 * <ul>
 *   <li>prefill of b sequences of s tokens: 2 × forward MACs (output projection on every token,
 *       full attention), reading the weights once and writing the KV cache: compute-bound;
 *   <li>one decode step of b sequences at context s: 2·b·MACs per token, reading the weights
 *       (for MoE the experts that b tokens touch, E·(1 − (1 − k/E)^b) per layer in expectation)
 *       and the b·s tokens of KV cache: memory-bound at small b.
 * </ul>
 *
 * <pre>{@code
 * Roofline.Step d = Roofline.decode(cfg, 1, 4096, WeightFormat.BF16, HardwareProfile.named("h100"), 1);
 * d.seconds();  d.bound();   // ~4 ms, "memory"
 * }</pre>
 */
public final class Roofline {

    private Roofline() {}

    /** One step: its FLOPs and bytes moved, the time, and which roof bounds it. */
    public record Step(double flops, double bytes, double seconds, String bound) {}

    public static Step prefill(LlmConfig c, long batch, long seq, WeightFormat f, HardwareProfile hw, int devices) {
        Estimate e = LlmModel.estimate(c, batch, seq, f);
        double flops = 2.0 * e.macsForward();
        double bytes = e.memory().weightsBytes() + (double) e.memory().kvCacheBytes();
        return step(flops, bytes, f, hw, devices);
    }

    public static Step decode(LlmConfig c, long batch, long context, WeightFormat f, HardwareProfile hw, int devices) {
        double flops = 2.0 * batch * LlmModel.macsPerToken(c, context);
        double weights = weightsRead(c, batch, f);
        double kv = (double) LlmModel.kvBytesPerToken(c, f.activationBytes()) * LlmModel.context(c, context) * batch;
        return step(flops, weights + kv, f, hw, devices);
    }

    /** Weight bytes one decode step reads (all of them for dense models). */
    static double weightsRead(LlmConfig c, long batch, WeightFormat f) {
        long total = LlmModel.estimate(c, 1, 1, f).paramsTotal();
        long vectors = LlmModel.vectorParams(c);
        double all = f.bytes(total - vectors, vectors);
        if (!c.moe()) {
            return all;
        }
        double e = c.experts();
        double expertBytes = (double) c.layers() * e * 3 * c.hidden() * c.intermediate() * f.bytesPerWeight();
        double touched = e * (1 - Math.pow(1 - c.expertsPerToken() / e, batch));
        return all - expertBytes + expertBytes * touched / e;
    }

    private static Step step(double flops, double bytes, WeightFormat f, HardwareProfile hw, int devices) {
        double compute = flops / (devices * hw.peakFlops(f));
        double memory = bytes / (devices * hw.bandwidth());
        return new Step(flops, bytes, Math.max(compute, memory), compute >= memory ? "compute" : "memory");
    }

    /** The fewest devices (a power of two, at most 1024) whose memory holds {@code bytes}; 0 when none. */
    public static int devicesToHold(double bytes, HardwareProfile hw) {
        for (int k = 1; k <= 1024; k *= 2) {
            if (bytes / k <= hw.memoryBytes()) {
                return k;
            }
        }
        return 0;
    }
}
