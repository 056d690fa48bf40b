package dev.jumbo.estimate;

import dev.jumbo.estimate.LlmConfig.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact parameter and MAC counts of a transformer LLM, layer by layer, from its config.
 *
 * <p>Parameters: every weight matrix, bias, norm and embedding the Hugging Face model holds; a
 * tied output projection is counted once (in the embedding); BERT counts its pooler (BertModel).
 *
 * <p>MACs of a forward pass over a batch of {@code b} sequences of {@code s} tokens, attention
 * without causal savings (every query against every key in the window), output projection on
 * every token:
 * <pre>
 *   macs = b·s·[ L·(h·q + 2·h·kv + q·h + mlp) + V·h ]  +  b·L·2·a·d·s·min(s, window)
 *   q = a·d, kv = a_kv·d, mlp = 3·h·I (SwiGLU), 2·h·I (GELU), k·3·h·I + h·E (MoE, top-k of E)
 * </pre>
 * the second term being QK^T and AV ({@code a·d·s} MACs each per query). LLaMA-2-7B at b = 1,
 * s = 128: 128·6,607,077,376 + 32·2·4096·128·128 = 850,000,871,424 MACs (≈ 850.0 GMACs). Norms,
 * activations, softmax and rotary are not MACs and are not counted.
 *
 * <p>Backward: every product here is {@code Y = X·W} or {@code S = Q·K^T} / {@code O = P·V}; its
 * backward needs both input gradients ({@code dX = dY·W^T}, {@code dW = X^T·dY}; both operands of
 * the attention products are activations), each as many MACs as the forward, so backward = 2 ×
 * forward row by row and a training step = 3 × forward. The first layer's input gradient is still
 * needed because the embedding it comes from is trained.
 */
public final class LlmModel {

    private LlmModel() {}

    /**
     * The full estimate at {@code batch} sequences of {@code seq} tokens with weights in
     * {@code format}: rows, totals and single-device memory (no parallelism, no recomputation).
     */
    public static Estimate estimate(LlmConfig c, long batch, long seq, WeightFormat format) {
        try {
            List<LayerRow> rows = rows(c, batch, seq, format.activationBytes());
            Estimate e = new Estimate(c.name(), batch, seq, rows, LlmMemory.single(c, rows, batch, seq, format));
            e.flopsTrainingStep(); // the largest total: fail here, not while printing
            return e;
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("estimate: " + c.name() + " at batch " + batch + ", sequence " + seq
                    + ": the exact counts exceed 64-bit integers (9.2e18); use a smaller batch or sequence", overflow);
        }
    }

    /** Per-layer rows; the rows of one transformer block carry {@code count = L}. */
    public static List<LayerRow> rows(LlmConfig c, long b, long s, int actBytes) {
        if (b < 1 || s < 1) {
            throw new IllegalArgumentException("estimate: batch " + b + " and sequence " + s + ": expected both >= 1");
        }
        Rows r = new Rows(b, s, actBytes);
        long h = c.hidden();
        long n = Math.multiplyExact(b, s);
        // Embeddings.
        String emb = c.family() == Family.GPT2 ? "wte" : c.family() == Family.BERT ? "embeddings.word_embeddings" : "embed_tokens";
        r.add(emb, "Embedding", 1, (long) c.vocab() * h, 0, 0, b, s, h);
        if (c.family() == Family.GPT2) {
            r.add("wpe", "Embedding", 1, (long) c.maxPositions() * h, 0, 0, b, s, h);
        }
        if (c.family() == Family.BERT) {
            r.add("embeddings.position_embeddings", "Embedding", 1, (long) c.maxPositions() * h, 0, 0, b, s, h);
            r.add("embeddings.token_type_embeddings", "Embedding", 1, (long) c.typeVocab() * h, 0, 0, b, s, h);
            r.add("embeddings.LayerNorm", "LayerNorm", 1, 2 * h, 0, 0, b, s, h);
        }
        long layers = c.layers();
        String p = c.family() == Family.GPT2 ? "h." : c.family() == Family.BERT ? "encoder.layer." : "layers.";
        boolean ln = !c.family().llamaLike();
        long normParams = ln ? 2 * h : h;
        String norm = ln ? "LayerNorm" : "RMSNorm";
        long q = c.qDim();
        long kv = c.kvDim();
        long attnMacs = attentionMacs(c, b, s) / (2 * layers); // one of QK^T, AV, one block
        long ctx = context(c, s);
        if (c.family() != Family.BERT) {
            r.add(p + (ln ? "ln_1" : "input_layernorm"), norm, layers, normParams, 0, 0, b, s, h);
        }
        if (c.family() == Family.GPT2) {
            r.linear(p + "attn.c_attn", layers, h, 3 * h, true, n);
        } else {
            String a = c.family() == Family.BERT ? "attention.self." : "self_attn.";
            String[] names = c.family() == Family.BERT ? new String[] {"query", "key", "value"} : new String[] {"q_proj", "k_proj", "v_proj"};
            r.linear(p + a + names[0], layers, h, q, c.attentionBias(), n);
            r.linear(p + a + names[1], layers, h, kv, c.attentionBias(), n);
            r.linear(p + a + names[2], layers, h, kv, c.attentionBias(), n);
        }
        String attn = c.family() == Family.GPT2 ? "attn." : c.family() == Family.BERT ? "attention.self." : "self_attn.";
        r.add(p + attn + "scores (QK^T)", "Attention.QK", layers, 0, attnMacs, 2 * attnMacs, b, c.heads(), s, ctx);
        r.add(p + attn + "context (AV)", "Attention.AV", layers, 0, attnMacs, 2 * attnMacs, b, s, q);
        switch (c.family()) {
            case GPT2 -> {
                r.linear(p + "attn.c_proj", layers, q, h, true, n);
                r.add(p + "ln_2", norm, layers, normParams, 0, 0, b, s, h);
                r.linear(p + "mlp.c_fc", layers, h, c.intermediate(), true, n);
                r.linear(p + "mlp.c_proj", layers, c.intermediate(), h, true, n);
            }
            case BERT -> {
                r.linear(p + "attention.output.dense", layers, q, h, true, n);
                r.add(p + "attention.output.LayerNorm", norm, layers, normParams, 0, 0, b, s, h);
                r.linear(p + "intermediate.dense", layers, h, c.intermediate(), true, n);
                r.linear(p + "output.dense", layers, c.intermediate(), h, true, n);
                r.add(p + "output.LayerNorm", norm, layers, normParams, 0, 0, b, s, h);
            }
            default -> {
                r.linear(p + "self_attn.o_proj", layers, q, h, false, n);
                r.add(p + "post_attention_layernorm", norm, layers, normParams, 0, 0, b, s, h);
                long inter = c.intermediate();
                if (c.moe()) {
                    long e = c.experts();
                    long k = c.expertsPerToken();
                    String m = p + "block_sparse_moe.";
                    r.linear(m + "gate (router)", layers, h, e, false, n);
                    r.experts(m + "experts.w1", layers, h, inter, e, k, n);
                    r.experts(m + "experts.w3", layers, h, inter, e, k, n);
                    r.experts(m + "experts.w2", layers, inter, h, e, k, n);
                } else {
                    r.linear(p + "mlp.gate_proj", layers, h, inter, false, n);
                    r.linear(p + "mlp.up_proj", layers, h, inter, false, n);
                    r.linear(p + "mlp.down_proj", layers, inter, h, false, n);
                }
            }
        }
        if (c.family() == Family.BERT) {
            // The pooler runs on the [CLS] token only.
            r.add("pooler.dense", "Linear", 1, h * h + h, b * h * h, 2 * b * h * h, b, h);
            return r.rows;
        }
        r.add(ln ? "ln_f" : "norm", norm, 1, normParams, 0, 0, b, s, h);
        long head = Math.multiplyExact(n, (long) c.vocab() * h);
        r.add(c.tiedEmbeddings() ? "lm_head (tied to " + emb + ")" : "lm_head", "Linear", 1,
                c.tiedEmbeddings() ? 0 : (long) c.vocab() * h, head, 2 * head, b, s, c.vocab());
        return r.rows;
    }

    /** Keys each query attends to at sequence (or context) length {@code s}: the window for mistral-style models. */
    public static long context(LlmConfig c, long s) {
        return c.slidingWindow() > 0 ? Math.min(s, c.slidingWindow()) : s;
    }

    /** QK^T + AV MACs of a forward pass over {@code b} sequences of {@code s} tokens, all layers, no causal savings. */
    public static long attentionMacs(LlmConfig c, long b, long s) {
        long perLayer = Math.multiplyExact(Math.multiplyExact(2 * b * s, context(c, s)), c.qDim());
        return Math.multiplyExact(perLayer, c.layers());
    }

    /** Matrix-product MACs per token that do not depend on the context: all linear layers incl. the output projection. */
    public static long linearMacsPerToken(LlmConfig c) {
        long h = c.hidden();
        long perLayer = h * c.qDim() + 2 * h * c.kvDim() + c.qDim() * h + mlpMacsPerToken(c);
        long head = c.family() == Family.BERT ? 0 : (long) c.vocab() * h;
        return perLayer * c.layers() + head;
    }

    /**
     * Forward MACs of one token attending to {@code context} earlier tokens: linear layers plus
     * QK^T and AV ({@code 2·L·a·d·min(context, window)}). Multiply by 2 for FLOPs.
     */
    public static long macsPerToken(LlmConfig c, long context) {
        return linearMacsPerToken(c) + 2L * c.layers() * c.qDim() * context(c, context);
    }

    private static long mlpMacsPerToken(LlmConfig c) {
        long h = c.hidden();
        long inter = c.intermediate();
        if (c.moe()) {
            return c.expertsPerToken() * 3 * h * inter + h * c.experts();
        }
        return (c.family().llamaLike() ? 3 : 2) * h * inter;
    }

    /** Parameters held as vectors (norm weights and biases): what stays fp32 in quantized formats. */
    public static long vectorParams(LlmConfig c) {
        long h = c.hidden();
        return switch (c.family()) {
            case GPT2 -> c.layers() * (9 * h + c.intermediate()) + 2 * h;
            case BERT -> 2 * h + c.layers() * (9 * h + c.intermediate()) + h;
            default -> c.layers() * (2 * h + (c.attentionBias() ? c.qDim() + 2 * c.kvDim() : 0)) + h;
        };
    }

    /** Parameters of one transformer block (all experts). */
    public static long blockParams(LlmConfig c) {
        long h = c.hidden();
        long bias = c.attentionBias() ? c.qDim() + 2 * c.kvDim() : 0;
        long attn = h * c.qDim() + 2 * h * c.kvDim() + c.qDim() * h + bias;
        return switch (c.family()) {
            case GPT2, BERT -> attn + h + 4 * h + 2 * h * c.intermediate() + c.intermediate() + h;
            default -> attn + 2 * h + (c.moe()
                    ? c.experts() * 3 * h * c.intermediate() + h * c.experts()
                    : 3 * h * c.intermediate());
        };
    }

    /** Bytes of the key/value cache per token of context per sequence: 2·L·a_kv·d·bytes (0 for encoders). */
    public static long kvBytesPerToken(LlmConfig c, int elementBytes) {
        return c.family() == Family.BERT ? 0 : 2L * c.layers() * c.kvDim() * elementBytes;
    }

    /** Collects rows; activation bytes are the output's element count times the activation size. */
    private static final class Rows {
        final List<LayerRow> rows = new ArrayList<>();
        final long batch;
        final long seq;
        final int actBytes;

        Rows(long batch, long seq, int actBytes) {
            this.batch = batch;
            this.seq = seq;
            this.actBytes = actBytes;
        }

        void add(String name, String type, long count, long params, long macs, long backward, long... shape) {
            row(name, type, count, params, params, macs, backward, shape);
        }

        void row(String name, String type, long count, long params, long active, long macs, long backward, long[] shape) {
            long numel = 1;
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            rows.add(new LayerRow(name, type, shape, count, params, active, macs, backward,
                    Math.multiplyExact(numel, actBytes)));
        }

        void linear(String name, long count, long in, long out, boolean bias, long tokens) {
            long macs = Math.multiplyExact(tokens, in * out);
            add(name, "Linear", count, in * out + (bias ? out : 0), macs, 2 * macs, batch, seq, out);
        }

        void experts(String name, long count, long in, long out, long experts, long topK, long tokens) {
            long macs = Math.multiplyExact(tokens, topK * in * out);
            row(name, "Linear.Experts[" + experts + ", top-" + topK + "]", count, experts * in * out, topK * in * out,
                    macs, 2 * macs, new long[] {batch, seq, topK, out});
        }
    }
}
