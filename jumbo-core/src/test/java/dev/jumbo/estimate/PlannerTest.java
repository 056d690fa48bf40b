package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlannerTest {

    private static Planner.Plan plan(String model, String devices, long seq) {
        HardwareProfile.Devices d = HardwareProfile.devices(devices);
        return Planner.plan(new Planner.Request(Configs.read(model), seq, 1, 1024, 2e12, WeightFormat.BF16,
                d.profile(), d.count(), LlmEstimator.DEFAULT_MFU));
    }

    @Test
    void llama2On8xA100FitsWithShardingOrModelParallelism() {
        Planner.Plan p = plan("llama2-7b", "8xA100-80GB", 4096);
        assertThat(p.fits()).isTrue();
        Planner.Layout best = p.best();
        assertThat(best.devices()).isEqualTo(8);
        assertThat(best.totalBytes()).isLessThanOrEqualTo(80e9);
        // 16 bytes/param of plain data parallelism (108 GB) cannot fit: the plan shards or splits the model.
        assertThat(best.zero() > 0 || best.tp() > 1 || best.pp() > 1).isTrue();
        assertThat(best.tp()).isLessThanOrEqualTo(8);
        assertThat(p.feasible()).allMatch(l -> l.devices() == 8 && l.totalBytes() <= 80e9);
        assertThat(p.feasible()).isSortedAccordingTo(java.util.Comparator.comparingDouble(Planner.Layout::seconds));
        // Two devices already hold it (e.g. ZeRO-3 over 2, or TP2), one does not (16 B/param alone is 108 GB).
        assertThat(p.minDevices()).isEqualTo(2);
        assertThat(p.bestAtMin().totalBytes()).isLessThanOrEqualTo(80e9);
    }

    @Test
    void plainDataParallelLayoutsDoNotFitLlama2On80GB() {
        Planner.Plan p = plan("llama2-7b", "8xA100-80GB", 4096);
        assertThat(p.feasible()).noneMatch(l -> l.tp() == 1 && l.pp() == 1 && l.zero() == 0);
    }

    @Test
    void saysDoesNotFitWithTheReason() {
        Planner.Plan p = plan("llama2-7b", "1xL4", 4096);
        assertThat(p.fits()).isFalse();
        assertThat(p.reason()).startsWith("does not fit on 1 x NVIDIA L4 24GB (24.0 GB each): the leanest layout")
                .contains("needs").contains("optimizer").contains("smallest count that fits is");
        assertThat(p.leanest().totalBytes()).isGreaterThan(24e9);
    }

    @Test
    void fourHundredFiveBNeedsManyDevices() {
        Planner.Plan p = plan("llama-3.1-405b", "8xH100", 8192);
        assertThat(p.fits()).isFalse();
        assertThat(p.minDevices()).isGreaterThan(8);
        assertThat(p.bestAtMin().totalBytes()).isLessThanOrEqualTo(80e9);
    }

    /** Without a token count layouts still rank by throughput: no recomputation beats full recomputation. */
    @Test
    void ranksByThroughputWithoutATokenCount() {
        HardwareProfile.Devices d = HardwareProfile.devices("8xH200");
        Planner.Plan p = Planner.plan(new Planner.Request(Configs.read("mixtral-8x7b"), 4096, 1, 1024, 0, WeightFormat.BF16,
                d.profile(), d.count(), LlmEstimator.DEFAULT_MFU));
        assertThat(p.best().recompute()).isEqualTo(Recompute.NONE);
        assertThat(p.best().seconds()).isZero();
        assertThat(p.feasible()).isSortedAccordingTo(java.util.Comparator.comparingDouble((Planner.Layout l) -> -l.tokensPerSecond()));
    }

    @Test
    void deviceSpecsParse() {
        assertThat(HardwareProfile.devices("8xH100").profile().id()).isEqualTo("h100-sxm");
        assertThat(HardwareProfile.devices("64xa100-40gb").count()).isEqualTo(64);
        assertThat(HardwareProfile.devices("h200").count()).isEqualTo(1);
        assertThat(HardwareProfile.named("l4").memoryBytes()).isEqualTo(24_000_000_000L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HardwareProfile.devices("8xTPU"))
                .hasMessageContaining("unknown hardware 'TPU'; known: a100-40gb, a100-80gb, h100-sxm, h200, l4, local");
    }
}
