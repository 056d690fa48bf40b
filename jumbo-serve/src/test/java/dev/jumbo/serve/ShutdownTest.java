package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful stop: requests already queued are answered before the versions unload. */
class ShutdownTest {
    @TempDir
    Path repo;

    @Test
    void closeDrainsQueuedRequests() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(1));
        // A long batching delay keeps requests queued while close() runs.
        TestRepo.config(repo, "mlp", """
                {"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 300000}}""");
        InferenceServer server = TestRepo.start(repo, null);
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replies.add(TestRepo.CLIENT.sendAsync(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/models/mlp/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        long until = System.nanoTime() + 5_000_000_000L;
        while (server.models().served("mlp").versions().firstEntry().getValue().inFlight() < 8 && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        server.close();
        for (CompletableFuture<HttpResponse<String>> f : replies) {
            assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
        }
        assertThat(server.models().all()).isEmpty();
    }
}
