package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Report llama(String devices) {
        return LlmEstimator.report(Configs.read("llama2-7b"), new LlmEstimator.Options(4096, 1, WeightFormat.BF16,
                devices == null ? null : HardwareProfile.devices(devices), 2e12, LlmEstimator.DEFAULT_MFU, 0));
    }

    @Test
    void jsonHasTheRequiredKeys() throws Exception {
        JsonNode j = new ObjectMapper().readTree(ReportJson.render(llama("8xH100")));
        for (String k : new String[] {"params_total", "params_active", "macs_forward", "flops_forward", "flops_training_step",
                "memory", "layers", "plan", "time", "weights_by_dtype", "zero_per_device_bytes", "activations_per_layer_bytes"}) {
            assertThat(j.has(k)).as(k).isTrue();
        }
        for (String k : new String[] {"weights_bytes", "gradients_bytes", "optimizer_bytes", "activations_bytes", "kv_cache_bytes",
                "kv_cache_bytes_per_token", "total_training_bytes", "total_inference_bytes"}) {
            assertThat(j.get("memory").has(k)).as("memory." + k).isTrue();
        }
        assertThat(j.get("params_total").asLong()).isEqualTo(6_738_415_616L);
        assertThat(j.get("memory").get("kv_cache_bytes_per_token").asLong()).isEqualTo(524_288L);
        assertThat(j.get("flops_training_step").asLong()).isEqualTo(3 * j.get("flops_forward").asLong());
        assertThat(j.get("plan").get("fits").asBoolean()).isTrue();
        assertThat(j.get("time").get("decode_tokens_per_s").asDouble()).isPositive();
    }

    @Test
    void textHasTheGroupedSections() {
        String t = ReportText.render(llama("8xH100"));
        assertThat(t).contains("Parameters", "Compute (1 MAC = 2 FLOPs", "Memory, one device", "Parallelism plan", "Time on 8 x",
                "6,738,415,616", "layers.self_attn.q_proj", "x32");
    }

    @Test
    void htmlIsSelfContainedWithABarPerRow() {
        Report r = llama(null);
        String h = ReportHtml.render(r);
        assertThat(h).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContain("<script");
        assertThat(h.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://");
        assertThat(h.split("<rect", -1).length - 1).isEqualTo(2 * r.estimate().rows().size());
    }
}
