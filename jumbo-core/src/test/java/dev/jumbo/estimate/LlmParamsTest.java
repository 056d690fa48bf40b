package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Exact parameter counts against the published figures (the oracles and the model cards). */
class LlmParamsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "bert-base-uncased, 109482240",
        "gpt2, 124439808",
        "llama2-7b, 6738415616",
        "llama3-8b, 8030261248",
        "mistral-7b, 7241732096",
        "mixtral-8x7b, 46702792704",
        "qwen2-7b, 7615616512",
        "llama-3.1-405b, 405853388800",
    })
    void totalParametersMatchThePublishedCounts(String name, long expected) {
        Estimate e = LlmModel.estimate(Configs.read(name), 1, 128, WeightFormat.BF16);
        assertThat(e.paramsTotal()).isEqualTo(expected);
    }

    @Test
    void denseModelsUseEveryParameterPerToken() {
        Estimate e = LlmModel.estimate(Configs.read("llama2-7b"), 1, 16, WeightFormat.BF16);
        assertThat(e.paramsActive()).isEqualTo(e.paramsTotal());
    }

    /** Mixtral: attention, router, norms, embeddings and 2 of 8 experts per layer. */
    @Test
    void mixtralActiveParametersCountTheTopTwoExpertsOnly() {
        Estimate e = LlmModel.estimate(Configs.read("mixtral-8x7b"), 1, 16, WeightFormat.BF16);
        long h = 4096;
        long perLayer = h * h * 2 + 2 * h * 1024 + 2 * 3 * h * 14336 + h * 8 + 2 * h;
        assertThat(e.paramsActive()).isEqualTo(32 * perLayer + 2 * 32000 * h + h).isEqualTo(12_879_925_248L);
    }

    @Test
    void gpt2CountsTheTiedOutputProjectionOnce() {
        Estimate e = LlmModel.estimate(Configs.read("gpt2"), 1, 8, WeightFormat.FP32);
        LayerRow head = e.rows().stream().filter(r -> r.name().startsWith("lm_head")).findFirst().orElseThrow();
        assertThat(head.params()).isZero();
        assertThat(head.macs()).isEqualTo(8L * 50257 * 768);
    }

    @Test
    void blockAndVectorCountsAgreeWithTheRows() {
        for (String name : new String[] {"gpt2", "bert-base-uncased", "llama3-8b", "mixtral-8x7b", "qwen2-7b"}) {
            LlmConfig c = Configs.read(name);
            Estimate e = LlmModel.estimate(c, 1, 4, WeightFormat.BF16);
            long block = e.rows().stream().filter(r -> r.count() == c.layers()).mapToLong(LayerRow::params).sum();
            assertThat(LlmModel.blockParams(c)).as(name).isEqualTo(block);
            long vectors = e.rows().stream().filter(r -> r.type().endsWith("Norm")).mapToLong(LayerRow::totalParams).sum();
            assertThat(LlmModel.vectorParams(c)).as(name).isGreaterThanOrEqualTo(vectors);
        }
    }
}
