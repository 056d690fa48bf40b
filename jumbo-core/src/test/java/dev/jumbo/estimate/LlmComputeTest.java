package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LlmComputeTest {

    /** The oracle: batch 1, sequence 128, lm_head on every token, attention without causal savings. */
    @Test
    void llama2ForwardAtSequence128IsEightHundredFiftyGmacs() {
        Estimate e = LlmModel.estimate(Configs.read("llama2-7b"), 1, 128, WeightFormat.FP16);
        long linear = 128L * (32L * (4 * 4096L * 4096 + 3 * 4096L * 11008) + 32000L * 4096);
        long attention = 32L * 2 * 4096 * 128 * 128;
        assertThat(e.macsForward()).isEqualTo(linear + attention).isEqualTo(850_000_871_424L);
        assertThat(e.macsForward() / 1e9).isCloseTo(850.0, within(0.05));
        assertThat(e.flopsForward()).isEqualTo(2 * e.macsForward());
    }

    @Test
    void trainingStepIsThreeForwardsRowByRow() {
        Estimate e = LlmModel.estimate(Configs.read("mixtral-8x7b"), 2, 64, WeightFormat.BF16);
        for (LayerRow r : e.rows()) {
            assertThat(r.backwardMacs()).as(r.name()).isEqualTo(2 * r.macs());
        }
        assertThat(e.flopsTrainingStep()).isEqualTo(3 * e.flopsForward());
    }

    @Test
    void perTokenMacsTimesTokensIsTheBatchForward() {
        for (String name : new String[] {"gpt2", "llama3-8b", "mixtral-8x7b", "qwen2-7b", "mistral-7b"}) {
            LlmConfig c = Configs.read(name);
            Estimate e = LlmModel.estimate(c, 3, 256, WeightFormat.BF16);
            assertThat(3 * 256 * LlmModel.macsPerToken(c, 256)).as(name).isEqualTo(e.macsForward());
        }
    }

    @Test
    void mistralSlidingWindowCapsTheAttentionContext() {
        LlmConfig c = Configs.read("mistral-7b");
        assertThat(LlmModel.macsPerToken(c, 8192)).isEqualTo(LlmModel.macsPerToken(c, 4096));
        assertThat(LlmModel.macsPerToken(c, 2048)).isLessThan(LlmModel.macsPerToken(c, 4096));
    }

    @Test
    void moeForwardCountsTopKExpertsOnly() {
        LlmConfig c = Configs.read("mixtral-8x7b");
        long h = 4096;
        // q and o (h x h), k and v (h x 1024), 2 experts x 3 matrices, the router (h x 8)
        long perLayer = h * h + 2 * h * 1024 + h * h + 2 * 3 * h * 14336 + h * 8;
        assertThat(LlmModel.linearMacsPerToken(c)).isEqualTo(32 * perLayer + 32000 * h);
    }

    @Test
    void countsTooLargeForLongsSaySo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LlmModel.estimate(Configs.read("llama-3.1-405b"), 1024, 131072, WeightFormat.BF16))
                .hasMessage("estimate: llama-3.1-405b at batch 1024, sequence 131072: the exact counts exceed 64-bit integers (9.2e18); use a smaller batch or sequence");
    }

    @Test
    void gpt3By6ndIsThreePointOneFiveE23() {
        assertThat(LlmEstimator.sixND(175e9, 300e9)).isCloseTo(3.15e23, within(1e20));
    }
}
