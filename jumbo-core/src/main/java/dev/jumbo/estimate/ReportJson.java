package dev.jumbo.estimate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON rendering of a {@link Report}, one object: {@code model}, {@code params_total},
 * {@code params_active}, {@code macs_forward}, {@code flops_forward}, {@code flops_training_step},
 * {@code memory} {weights_bytes, gradients_bytes, optimizer_bytes, activations_bytes,
 * kv_cache_bytes, kv_cache_bytes_per_token, total_training_bytes, total_inference_bytes}, then every
 * section's figures (top level or in their named object), {@code layers} and {@code plan}.
 */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {}

    public static String render(Report r) {
        try {
            return JSON.writeValueAsString(map(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("estimate: cannot encode the report as JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Report r) {
        Estimate e = r.estimate();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", e.model());
        m.put("batch", e.batch());
        m.put("seq", e.seq());
        m.put("params_total", e.paramsTotal());
        m.put("params_active", e.paramsActive());
        m.put("macs_forward", e.macsForward());
        m.put("flops_forward", e.flopsForward());
        m.put("flops_training_step", e.flopsTrainingStep());
        m.put("convention", "1 MAC = 2 FLOPs; MACs count matrix products (conv, linear, attention QK^T and AV); "
                + "flops_forward and flops_training_step are 2 x MACs; training step = forward + backward, the backward "
                + "from each op's own rule (input gradient skipped where the input needs none)");
        Memory mem = e.memory();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("weights_bytes", mem.weightsBytes());
        memory.put("gradients_bytes", mem.gradientsBytes());
        memory.put("optimizer_bytes", mem.optimizerBytes());
        memory.put("activations_bytes", mem.activationsBytes());
        memory.put("kv_cache_bytes", mem.kvCacheBytes());
        memory.put("kv_cache_bytes_per_token", mem.kvCacheBytesPerToken());
        memory.put("total_training_bytes", mem.totalTrainingBytes());
        memory.put("total_inference_bytes", mem.totalInferenceBytes());
        m.put("memory", memory);
        for (Report.Section s : r.sections()) {
            Map<String, Object> target = m;
            if (s.jsonObject() != null) {
                target = (Map<String, Object>) m.computeIfAbsent(s.jsonObject(), k -> new LinkedHashMap<String, Object>());
            }
            for (Report.Figure f : s.figures()) {
                target.putIfAbsent(f.key(), f.value());
            }
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerRow x : e.rows()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", x.name());
            l.put("type", x.type());
            l.put("count", x.count());
            l.put("output_shape", x.outputShape());
            l.put("params", x.params());
            l.put("params_active", x.activeParams());
            l.put("macs", x.macs());
            l.put("macs_backward", x.backwardMacs());
            l.put("flops", x.flops());
            l.put("flops_backward", x.backwardFlops());
            l.put("activation_bytes", x.activationBytes());
            layers.add(l);
        }
        m.put("layers", layers);
        if (r.plan() != null) {
            m.put("plan", plan(r.plan()));
        }
        return m;
    }

    private static Map<String, Object> plan(Planner.Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hardware", p.request().hardware().id());
        m.put("device_memory_bytes", p.request().hardware().memoryBytes());
        m.put("devices", p.request().devices());
        m.put("min_devices", p.minDevices());
        m.put("best_at_min_devices", p.bestAtMin() == null ? null : layout(p.bestAtMin()));
        m.put("fits", p.fits());
        m.put("best", p.best() == null ? null : layout(p.best()));
        m.put("reason", p.fits() ? null : p.reason());
        m.put("alternatives", p.feasible().stream().map(ReportJson::layout).toList());
        return m;
    }

    private static Map<String, Object> layout(Planner.Layout l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tp", l.tp());
        m.put("pp", l.pp());
        m.put("dp", l.dp());
        m.put("zero_stage", l.zero());
        m.put("recompute", l.recompute().label());
        m.put("sequence_parallel", l.sequenceParallel());
        m.put("weights_bytes", Math.round(l.weightsBytes()));
        m.put("gradients_bytes", Math.round(l.gradientsBytes()));
        m.put("optimizer_bytes", Math.round(l.optimizerBytes()));
        m.put("activations_bytes", Math.round(l.activationsBytes()));
        m.put("total_bytes", Math.round(l.totalBytes()));
        m.put("pipeline_bubble", l.bubble());
        m.put("training_tokens_per_s", l.tokensPerSecond());
        m.put("training_seconds", l.seconds());
        return m;
    }
}
