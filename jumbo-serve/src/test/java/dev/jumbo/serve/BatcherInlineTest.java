package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When waiting cannot change the batch the caller computes; otherwise the job waits for its batch. */
class BatcherInlineTest {
    private static ModelLoader.Loaded mlp() {
        return new ModelLoader.Loaded(TestRepo.mlp(3), new int[] {4}, new int[] {3});
    }

    @Test
    void aRequestThatFillsItsBatchIsAnsweredBeforeSubmitReturns() throws Exception {
        ModelLoader.Loaded m = mlp();
        try (Batcher b = new Batcher("m", "1", m, ModelConfig.defaults().withBatching(1, 0, 4, 5_000_000), new ServeMetrics())) {
            float[] x = {1, 2, 3, 4};
            Batcher.Job job = b.submit(x, 1, System.nanoTime() + 5_000_000_000L);
            assertThat(job.result()).isDone();
            assertThat(job.result().get()).containsExactly(m.run(x, 1));
            assertThat(job.batchSize()).isEqualTo(1);
        }
    }

    @Test
    void aRequestThatCouldStillBeBatchedWaitsForTheWorker() throws Exception {
        ModelLoader.Loaded m = mlp();
        ModelConfig cfg = ModelConfig.defaults().withBatching(8, 200_000, 16, 5_000_000);
        try (Batcher b = new Batcher("m", "1", m, cfg, new ServeMetrics())) {
            Batcher.Job first = b.submit(new float[] {1, 2, 3, 4}, 1, System.nanoTime() + 5_000_000_000L);
            Batcher.Job second = b.submit(new float[] {4, 3, 2, 1}, 1, System.nanoTime() + 5_000_000_000L);
            assertThat(first.result()).isNotDone();
            first.result().get(5, TimeUnit.SECONDS);
            second.result().get(5, TimeUnit.SECONDS);
            assertThat(first.batchSize()).isEqualTo(2);
            assertThat(second.batchSize()).isEqualTo(2);
        }
    }
}
