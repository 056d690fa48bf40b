package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching across concurrent HTTP requests, and admission control under overload. */
class BatchingTest {
    @TempDir
    Path repo;

    static String body(float[] row) {
        StringBuilder sb = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[");
        for (int i = 0; i < row.length; i++) {
            sb.append(i == 0 ? "" : ",").append(row[i]);
        }
        return sb.append("]}]}").toString();
    }

    static double metric(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void concurrentRequestsAreBatchedAndMatchUnbatchedResults() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(3));
        TestRepo.config(repo, "mlp", """
                {"max_batch_size": 16, "dynamic_batching": {"max_queue_delay_microseconds": 200000}}""");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            int n = 24;
            Rng rng = new Rng(11);
            List<float[]> rows = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] row = new float[4];
                for (int j = 0; j < 4; j++) {
                    row[j] = (float) rng.nextGaussian();
                }
                rows.add(row);
                replies.add(TestRepo.CLIENT.sendAsync(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/models/mlp/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(body(row))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Module reference = TestRepo.mlp(3);
            for (int i = 0; i < n; i++) {
                HttpResponse<String> r = replies.get(i).get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode data = TestRepo.JSON.readTree(r.body()).get("outputs").get(0).get("data");
                float[] want = ProtocolTest.expected(reference, rows.get(i), 1, 4);
                for (int k = 0; k < want.length; k++) {
                    assertThat((float) data.get(k).asDouble()).isCloseTo(want[k], within(1e-5f));
                }
            }
            String metrics = TestRepo.get(server, "/metrics").body();
            double batches = metric(metrics, "jumbo_inference_batch_size_count{model=\"mlp\",version=\"1\"}");
            double examples = metric(metrics, "jumbo_inference_batch_size_sum{model=\"mlp\",version=\"1\"}");
            double single = metric(metrics, "jumbo_inference_batch_size_bucket{model=\"mlp\",version=\"1\",le=\"1.0\"}");
            assertThat(examples).isEqualTo(n);
            assertThat(batches).as("batches for %d requests", n).isLessThan(n);
            assertThat(single).as("batches of one").isLessThan(batches);
        }
    }

    @Test
    void overloadIsAnsweredAtOnceWith429And503AndTheServerStaysReady() throws Exception {
        Module big = new Sequential(new Linear(4, 2048, new Rng(1)), new Linear(2048, 2048, new Rng(2)),
                new Linear(2048, 3, new Rng(3)));
        TestRepo.write(repo, "big", 1, big);
        TestRepo.config(repo, "big", """
                {"max_batch_size": 1, "dynamic_batching": {"max_queue_delay_microseconds": 0, "max_queue_size": 2,
                 "default_timeout_microseconds": 2000000}}""");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
            for (int i = 0; i < 120; i++) {
                replies.add(TestRepo.CLIENT.sendAsync(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/models/big/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> f : replies) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 429, 503);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    refused++;
                    assertThat(TestRepo.JSON.readTree(r.body()).get("error").asText()).containsAnyOf("queue full", "deadline");
                }
            }
            assertThat(ok).isPositive();
            assertThat(refused).isPositive();
            String metrics = TestRepo.get(server, "/metrics").body();
            assertThat(metric(metrics, "jumbo_inference_request_failure_total{model=\"big\",reason=\"queue_full\",version=\"1\"}"))
                    .isPositive();
            assertThat(TestRepo.get(server, "/v2/health/ready").status()).isEqualTo(200);
        }
    }
}
