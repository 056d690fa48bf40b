package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HardwareProfileTest {

    @Test
    void everyVendorProfileLoadsWithItsSource() {
        for (String id : HardwareProfile.IDS) {
            HardwareProfile h = HardwareProfile.named(id);
            assertThat(h.memoryBytes()).as(id).isPositive();
            assertThat(h.bandwidth()).as(id).isPositive();
            assertThat(h.source()).as(id).contains("datasheet");
            for (WeightFormat f : WeightFormat.values()) {
                assertThat(h.peakFlops(f)).as(id + " " + f).isPositive();
            }
        }
        assertThat(HardwareProfile.named("h100").peakFlops(WeightFormat.BF16)).isEqualTo(989.4e12);
        assertThat(HardwareProfile.named("a100-40gb").bandwidth()).isEqualTo(1.555e12);
    }

    /** The probe's two measurements on tiny sizes (the real probe runs ~0.6 s; no timing is asserted). */
    @Test
    void localProbeMeasuresSomething() {
        assertThat(LocalProbe.gemmFlops(64, 0.01)).isPositive();
        assertThat(LocalProbe.triadBandwidth(1 << 16, 0.01)).isPositive();
    }

    @Test
    void rooflineDecodeIsMemoryBoundAndPrefillComputeBound() {
        LlmConfig c = Configs.read("llama2-7b");
        HardwareProfile h = HardwareProfile.named("h100");
        Roofline.Step d = Roofline.decode(c, 1, 4096, WeightFormat.BF16, h, 1);
        assertThat(d.bound()).isEqualTo("memory");
        // weights + 4096 tokens of KV cache over 3.35 TB/s
        assertThat(d.seconds()).isEqualTo((13_476_831_232.0 + 524_288.0 * 4096) / 3.35e12);
        assertThat(Roofline.prefill(c, 1, 4096, WeightFormat.BF16, h, 1).bound()).isEqualTo("compute");
        // MoE decode at batch 1 reads 2 of 8 experts per layer.
        LlmConfig m = Configs.read("mixtral-8x7b");
        double all = WeightFormat.BF16.bytes(46_702_792_704L - LlmModel.vectorParams(m), LlmModel.vectorParams(m));
        assertThat(Roofline.weightsRead(m, 1, WeightFormat.BF16)).isLessThan(all * 0.3);
        assertThat(Roofline.weightsRead(m, 1024, WeightFormat.BF16)).isCloseTo(all, org.assertj.core.api.Assertions.within(1.0));
    }
}
