package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LlmMemoryTest {

    @Test
    void llama2KvCacheIsHalfAMebibytePerTokenInFp16() {
        Estimate e = LlmModel.estimate(Configs.read("llama2-7b"), 2, 4096, WeightFormat.FP16);
        assertThat(e.memory().kvCacheBytesPerToken()).isEqualTo(524_288L);
        assertThat(e.memory().kvCacheBytes()).isEqualTo(524_288L * 4096 * 2);
    }

    @Test
    void groupedQueryAttentionShrinksTheKvCache() {
        // LLaMA-3-8B: 8 KV heads of 128 -> 2 * 32 * 1024 * 2 bytes.
        assertThat(LlmModel.kvBytesPerToken(Configs.read("llama3-8b"), 2)).isEqualTo(131_072L);
        assertThat(LlmModel.kvBytesPerToken(Configs.read("bert-base-uncased"), 2)).isZero();
    }

    /** The ZeRO paper's example: 7.5B parameters, 64 devices, mixed-precision Adam (K = 12). */
    @Test
    void zeroStagesMatchThePaperExample() {
        double[] gb = new double[4];
        for (int z = 0; z <= 3; z++) {
            gb[z] = ModelStates.MIXED_ADAM.perDevice(7.5e9, z, 64).total() / 1e9;
        }
        assertThat(gb[0]).isEqualTo(120.0);
        assertThat(gb[1]).isCloseTo(31.4, within(0.05));
        assertThat(gb[2]).isCloseTo(16.6, within(0.05));
        assertThat(gb[3]).isCloseTo(1.9, within(0.05));
        assertThat(gb[1]).isEqualTo(31.40625);
        assertThat(gb[2]).isEqualTo(16.640625);
        assertThat(gb[3]).isEqualTo(1.875);
    }

    @Test
    void trainingStatesAreSixteenBytesPerParameter() {
        Estimate e = LlmModel.estimate(Configs.read("llama2-7b"), 1, 128, WeightFormat.BF16);
        long p = e.paramsTotal();
        assertThat(e.memory().weightsBytes()).isEqualTo(2 * p);
        assertThat(e.memory().gradientsBytes()).isEqualTo(2 * p);
        assertThat(e.memory().optimizerBytes()).isEqualTo(12 * p);
        assertThat(e.memory().totalTrainingBytes()).isEqualTo(16 * p + e.memory().activationsBytes());
    }

    @Test
    void korthikantiFormulas() {
        long s = 2048, b = 1, h = 12288, a = 96;
        double sbh = (double) s * b * h;
        assertThat(ActivationMemory.perLayer(s, b, h, a, 1, false, Recompute.NONE)).isEqualTo(sbh * (34 + 5.0 * a * s / h));
        assertThat(ActivationMemory.perLayer(s, b, h, a, 8, false, Recompute.NONE)).isEqualTo(sbh * (10 + 24.0 / 8 + 5.0 * a * s / (h * 8)));
        assertThat(ActivationMemory.perLayer(s, b, h, a, 8, true, Recompute.NONE)).isEqualTo(sbh * (34 + 5.0 * a * s / h) / 8);
        assertThat(ActivationMemory.perLayer(s, b, h, a, 8, false, Recompute.SELECTIVE)).isEqualTo(sbh * (10 + 24.0 / 8));
        assertThat(ActivationMemory.perLayer(s, b, h, a, 8, true, Recompute.SELECTIVE)).isEqualTo(sbh * 34 / 8);
        assertThat(ActivationMemory.perLayer(s, b, h, a, 1, false, Recompute.FULL)).isEqualTo(2 * sbh);
        // t = 1: tensor-parallel formula reduces to the single-device one.
        assertThat(ActivationMemory.perLayer(s, b, h, a, 1, false, Recompute.NONE))
                .isEqualTo(ActivationMemory.perLayer(s, b, h, a, 1, true, Recompute.NONE));
    }

    @Test
    void quantizedWeightsCarryTheirBlockScales() {
        assertThat(WeightFormat.INT4.bytes(64, 0)).isEqualTo(36);
        assertThat(WeightFormat.INT8.bytes(64, 0)).isEqualTo(68);
        assertThat(WeightFormat.INT4.bytes(33, 2)).isEqualTo(36 + 8);
        assertThat(WeightFormat.BF16.bytes(33, 2)).isEqualTo(70);
        Estimate e = LlmModel.estimate(Configs.read("llama2-7b"), 1, 1, WeightFormat.INT4);
        long vectors = LlmModel.vectorParams(Configs.read("llama2-7b"));
        assertThat(vectors).isEqualTo(65 * 4096);
        assertThat(e.memory().weightsBytes()).isEqualTo((e.paramsTotal() - vectors) / 32 * 18 + vectors * 4);
    }
}
