package dev.jumbo.estimate;

import java.util.ArrayList;
import java.util.List;

/**
 * The analytic LLM estimator: parameters, compute, memory, a parallelism plan and time, from a
 * config, as one {@link Report}.
 *
 * <p>Time uses a model-FLOPs utilization (MFU, default {@value #DEFAULT_MFU}). Published runs put
 * large-scale training at 40-57%: PaLM 540B trained at 46.2% MFU (57.8% hardware FLOPs
 * utilization) on 6,144 TPU v4 chips (Chowdhery et al. 2022); Megatron-LM with sequence
 * parallelism and selective recomputation reached 54.2% MFU for a 530B GPT on 2,240 A100s, and
 * 42.1% with full recomputation (Korthikanti et al. 2022); Megatron-LM's README reports 56.3% MFU
 * for a 1T-parameter model. 0.40 sits just below the lowest of these, as a planning figure for a
 * run that is not hand-tuned.
 *
 * <pre>{@code
 * LlmEstimator.Options o = new LlmEstimator.Options(4096, 1, WeightFormat.BF16,
 *         HardwareProfile.devices("8xH100"), 2e12, LlmEstimator.DEFAULT_MFU, 0);
 * Report r = LlmEstimator.report(LlmConfig.read(Path.of("examples/configs/llama2-7b.json")), o);
 * System.out.print(ReportText.render(r));
 * }</pre>
 */
public final class LlmEstimator {

    public static final double DEFAULT_MFU = 0.40;
    /** Default global batch: 4M tokens per step (LLaMA 2's), in sequences of the given length. */
    public static final long DEFAULT_BATCH_TOKENS = 4L << 20;

    private LlmEstimator() {}

    /**
     * @param seq         sequence length (and the context of the KV cache and decode figures)
     * @param batch       sequences per forward (the micro-batch for training)
     * @param format      weight dtype
     * @param devices     hardware and count, or null for no plan and no time
     * @param tokens      training tokens D (0: no training-time figures)
     * @param mfu         model-FLOPs utilization for training time
     * @param globalBatch sequences per optimizer step (0: {@link #DEFAULT_BATCH_TOKENS} / seq)
     */
    public record Options(long seq, long batch, WeightFormat format, HardwareProfile.Devices devices, double tokens,
                          double mfu, long globalBatch) {
        public long effectiveGlobalBatch() {
            return globalBatch > 0 ? globalBatch : Math.max(batch, DEFAULT_BATCH_TOKENS / seq);
        }
    }

    public static Report report(LlmConfig c, Options o) {
        Estimate e = LlmModel.estimate(c, o.batch(), o.seq(), o.format());
        List<Report.Section> sections = new ArrayList<>();
        sections.add(params(c, e));
        sections.add(compute(c, e, o));
        sections.add(memory(c, e, o));
        sections.add(weightsByDtype(c, e));
        sections.add(activations(c, o));
        sections.add(zero(e, o));
        Planner.Plan plan = null;
        if (o.devices() != null) {
            Planner.Request req = new Planner.Request(c, o.seq(), o.batch(), o.effectiveGlobalBatch(), o.tokens(),
                    o.format(), o.devices().profile(), o.devices().count(), o.mfu());
            plan = Planner.plan(req);
            sections.add(time(c, e, o, plan));
        }
        String title = "jumbo estimate: " + c.name() + " (" + c.family().modelType() + "), batch " + o.batch() + ", sequence "
                + o.seq() + ", " + o.format().label() + (o.devices() == null ? "" : ", " + o.devices());
        return new Report(title, e, sections, plan);
    }

    private static Report.Figure f(String key, String label, Object value, String unit) {
        return new Report.Figure(key, label, value, unit);
    }

    private static Report.Section params(LlmConfig c, Estimate e) {
        long embedding = e.rows().stream().filter(r -> r.type().equals("Embedding")).mapToLong(LayerRow::totalParams).sum();
        List<Report.Figure> fs = new ArrayList<>(List.of(
                f("params_total", "parameters, total", e.paramsTotal(), ""),
                f("params_active", "parameters active per token" + (c.moe() ? " (top-" + c.expertsPerToken() + " of " + c.experts() + " experts)" : ""), e.paramsActive(), ""),
                f("params_embedding", "parameters in embeddings", embedding, ""),
                f("params_per_layer", "parameters per transformer block", LlmModel.blockParams(c), ""),
                f("layers", "transformer blocks", (long) c.layers(), ""),
                f("attention", "attention", c.heads() + " heads x " + c.headDim() + (c.kvHeads() < c.heads() ? ", " + c.kvHeads() + " KV heads (GQA)" : "")
                        + (c.slidingWindow() > 0 ? ", sliding window " + c.slidingWindow() : ""), "")));
        if (c.tiedEmbeddings()) {
            fs.add(f("tied_embeddings", "output projection tied to the embedding (counted once)", true, ""));
        }
        return new Report.Section("Parameters", null, fs);
    }

    private static Report.Section compute(LlmConfig c, Estimate e, Options o) {
        long attn = LlmModel.attentionMacs(c, o.batch(), o.seq());
        long perToken = LlmModel.macsPerToken(c, o.seq());
        List<Report.Figure> fs = new ArrayList<>(List.of(
                f("macs_forward", "forward MACs, batch x sequence (no causal savings)", e.macsForward(), "MACs"),
                f("flops_forward", "forward FLOPs (2 x MACs)", e.flopsForward(), "FLOPs"),
                f("macs_attention_forward", "  of which attention QK^T + AV MACs", attn, "MACs"),
                f("macs_per_token", "forward MACs per token at context " + o.seq(), perToken, "MACs"),
                f("macs_per_token_linear", "  context-independent part (linear layers incl. lm_head)", LlmModel.linearMacsPerToken(c), "MACs"),
                f("flops_training_step", "training step FLOPs (forward + backward = 3 x forward)", e.flopsTrainingStep(), "FLOPs")));
        if (o.tokens() > 0) {
            fs.add(f("tokens", "training tokens D", o.tokens(), "tokens"));
            fs.add(f("flops_training_exact", "training FLOPs for D tokens, exact (6 x MACs/token x D)", 6.0 * perToken * o.tokens(), "FLOPs"));
            fs.add(f("flops_training_6nd", "training FLOPs for D tokens, 6·N·D (N = active params)", sixND(e.paramsActive(), o.tokens()), "FLOPs"));
        }
        return new Report.Section("Compute (1 MAC = 2 FLOPs; matrix products only)", null, fs);
    }

    /** The 6·N·D rule: 2 FLOPs per parameter per token forward, 4 backward. */
    public static double sixND(double params, double tokens) {
        return 6 * params * tokens;
    }

    private static Report.Section memory(LlmConfig c, Estimate e, Options o) {
        Memory m = e.memory();
        ModelStates st = ModelStates.forFormat(o.format());
        return new Report.Section("Memory, one device, no parallelism (training: "
                + (st == ModelStates.FP32_ADAM ? "fp32 Adam, 16 B/param" : "mixed-precision Adam, 2+2+12 = 16 B/param") + ")", "memory", List.of(
                f("weights_bytes", "weights (" + o.format().label() + (o.format().quantized() ? (o.format() == WeightFormat.INT8 ? ", ggml Q8_0 blocks" : ", ggml Q4_0 blocks") : "") + ")", m.weightsBytes(), "bytes"),
                f("gradients_bytes", "gradients", m.gradientsBytes(), "bytes"),
                f("optimizer_bytes", "optimizer state", m.optimizerBytes(), "bytes"),
                f("activations_bytes", "activations, Korthikanti no recompute + fp32 logits", m.activationsBytes(), "bytes"),
                f("kv_cache_bytes_per_token", "KV cache per token (" + (o.format().activationBytes() * 8) + "-bit)", m.kvCacheBytesPerToken(), "bytes"),
                f("kv_cache_bytes", "KV cache at context " + o.seq() + ", batch " + o.batch(), m.kvCacheBytes(), "bytes"),
                f("total_training_bytes", "total for training", m.totalTrainingBytes(), "bytes"),
                f("total_inference_bytes", "total for inference (weights + KV cache + transients)", m.totalInferenceBytes(), "bytes")));
    }

    private static Report.Section weightsByDtype(LlmConfig c, Estimate e) {
        long vectors = LlmModel.vectorParams(c);
        long matrices = e.paramsTotal() - vectors;
        List<Report.Figure> fs = new ArrayList<>();
        for (WeightFormat w : WeightFormat.values()) {
            String note = w == WeightFormat.INT8 ? " (Q8_0: 8.5 bits/weight)" : w == WeightFormat.INT4 ? " (Q4_0: 4.5 bits/weight)" : "";
            fs.add(f(w.label(), w.label() + note, w.bytes(matrices, vectors), "bytes"));
        }
        return new Report.Section("Weights by dtype (quantized: matrices in blocks of 32 + fp16 scale, vectors fp32)", "weights_by_dtype", fs);
    }

    private static Report.Section activations(LlmConfig c, Options o) {
        int t = o.devices() == null ? 8 : Math.max(1, Math.min(8, o.devices().profile().devicesPerNode()));
        int act = o.format().activationBytes();
        long s = o.seq();
        long b = o.batch();
        List<Report.Figure> fs = List.of(
                f("none", "no parallelism: sbh(34 + 5as/h)", Math.round(ActivationMemory.perLayer(c, s, b, 1, false, Recompute.NONE, act)), "bytes"),
                f("tp", "tensor parallel t=" + t + ": sbh(10 + 24/t + 5as/(ht))", Math.round(ActivationMemory.perLayer(c, s, b, t, false, Recompute.NONE, act)), "bytes"),
                f("tp_sp", "tensor + sequence parallel: sbh(34 + 5as/h)/t", Math.round(ActivationMemory.perLayer(c, s, b, t, true, Recompute.NONE, act)), "bytes"),
                f("tp_selective", "tensor parallel + selective recompute: sbh(10 + 24/t)", Math.round(ActivationMemory.perLayer(c, s, b, t, false, Recompute.SELECTIVE, act)), "bytes"),
                f("tp_sp_selective", "tensor + sequence parallel + selective: 34sbh/t", Math.round(ActivationMemory.perLayer(c, s, b, t, true, Recompute.SELECTIVE, act)), "bytes"),
                f("full", "full recomputation: 2sbh", Math.round(ActivationMemory.perLayer(c, s, b, 1, false, Recompute.FULL, act)), "bytes"));
        return new Report.Section("Activations per layer (Korthikanti et al. 2022; x" + c.layers() + " layers)", "activations_per_layer_bytes", fs);
    }

    private static Report.Section zero(Estimate e, Options o) {
        int n = o.devices() == null ? 8 : o.devices().count();
        ModelStates st = ModelStates.forFormat(o.format());
        List<Report.Figure> fs = new ArrayList<>();
        String[] names = {"stage 0 (plain data parallel)", "stage 1 (optimizer states sharded)", "stage 2 (+ gradients)", "stage 3 (+ parameters)"};
        for (int z = 0; z <= 3; z++) {
            fs.add(f("stage" + z, names[z], Math.round(st.perDevice(e.paramsTotal(), z, n).total()), "bytes"));
        }
        return new Report.Section("ZeRO: weights + gradients + optimizer per device over " + n + " data-parallel devices", "zero_per_device_bytes", fs);
    }

    private static Report.Section time(LlmConfig c, Estimate e, Options o, Planner.Plan plan) {
        HardwareProfile hw = o.devices().profile();
        int n = o.devices().count();
        List<Report.Figure> fs = new ArrayList<>();
        double peak = hw.peakFlops(o.format());
        fs.add(f("mfu", "model-FLOPs utilization assumed", o.mfu(), ""));
        fs.add(f("peak_flops_per_device", "peak " + o.format().label() + " per device (dense)", peak, "FLOP/s"));
        if (o.tokens() > 0) {
            fs.add(f("training_seconds_6nd", "training D tokens by 6ND on " + n + " devices at the MFU",
                    sixND(e.paramsActive(), o.tokens()) / (n * peak * o.mfu()), "s"));
            if (plan.best() != null) {
                fs.add(f("training_seconds", "training D tokens, exact FLOPs, chosen layout (recompute, bubble)", plan.best().seconds(), "s"));
            }
        }
        int k = Roofline.devicesToHold(e.memory().totalInferenceBytes(), hw);
        if (k == 0) {
            fs.add(f("inference_devices", "inference does not fit on up to 1024 devices", 0L, ""));
        } else {
            Roofline.Step pre = Roofline.prefill(c, o.batch(), o.seq(), o.format(), hw, k);
            Roofline.Step dec = Roofline.decode(c, o.batch(), o.seq(), o.format(), hw, k);
            fs.add(f("inference_devices", "inference devices (fewest that hold weights + KV cache)", (long) k, ""));
            fs.add(f("prefill_seconds", "prefill " + o.batch() + " x " + o.seq() + " tokens (" + pre.bound() + "-bound roofline)", pre.seconds(), "s"));
            fs.add(f("prefill_tokens_per_s", "prefill throughput", o.batch() * o.seq() / pre.seconds(), "tokens/s"));
            fs.add(f("decode_seconds_per_step", "decode step at context " + o.seq() + " (" + dec.bound() + "-bound roofline)", dec.seconds(), "s"));
            fs.add(f("decode_tokens_per_s", "decode throughput (batch " + o.batch() + ")", o.batch() / dec.seconds(), "tokens/s"));
        }
        return new Report.Section("Time on " + o.devices() + " (" + hw.id() + ")", "time", fs);
    }
}
