package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jumbo.io.ModelDirectory;
import dev.jumbo.nn.ModelSpec;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot swaps through the control API under concurrent load; failed loads keep the old version. */
class HotSwapTest {
    static final String TOKEN = "tok-123";
    @TempDir
    Path repo;

    static TestRepo.Reply control(InferenceServer s, String path) throws Exception {
        return TestRepo.send(HttpRequest.newBuilder(TestRepo.uri(s, path)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void tenSwapsUnderLoadFailNoRequestAndAFailedLoadKeepsTheOldVersion() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(1));
        try (InferenceServer server = TestRepo.start(repo, TOKEN)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";
            Thread[] clients = new Thread[4];
            for (int c = 0; c < clients.length; c++) {
                clients[c] = Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        try {
                            TestRepo.Reply r = TestRepo.post(server, "/v2/models/mlp/infer", body);
                            if (r.status() == 200) {
                                ok.incrementAndGet();
                                versionsSeen.add(r.json().get("model_version").asText());
                            } else {
                                failures.merge(r.status() + " " + r.body(), 1, Integer::sum);
                            }
                        } catch (Exception e) {
                            failures.merge(e.toString(), 1, Integer::sum);
                        }
                    }
                });
            }
            for (int v = 2; v <= 11; v++) {
                TestRepo.write(repo, "mlp", v, TestRepo.mlp(v));
                TestRepo.Reply r = control(server, "/v2/repository/models/mlp/load");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(TestRepo.get(server, "/v2/models/mlp").json().get("versions").toString()).isEqualTo("[\"" + v + "\"]");
                Thread.sleep(30);
            }
            // A broken version 12: a spec whose weights do not fit. The load fails, 11 keeps serving.
            Path v12 = repo.resolve("mlp/12");
            ModelDirectory.write(v12, ModelSpec.of(TestRepo.mlp(1)).toJson(), TestRepo.lenet(1).stateDict());
            TestRepo.Reply failed = control(server, "/v2/repository/models/mlp/load");
            Thread.sleep(30);
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }
            assertThat(failures).as("failed requests during swaps").isEmpty();
            assertThat(ok.get()).isPositive();
            assertThat(versionsSeen.size()).as("versions answered: " + versionsSeen).isGreaterThan(1);
            assertThat(failed.status()).isEqualTo(400);
            assertThat(failed.json().get("error").asText()).contains("version 12").contains("still serving versions [11]");
            TestRepo.Reply after = TestRepo.post(server, "/v2/models/mlp/infer", body);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().get("model_version").asText()).isEqualTo("11");
            assertThat(control(server, "/v2/repository/index").body()).contains("\"name\":\"mlp\"", "\"version\":\"11\"", "READY");
        }
    }

    @Test
    void unloadThenLoadAndIndexReportsState() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(1));
        Files.createDirectories(repo.resolve("empty"));
        try (InferenceServer server = TestRepo.start(repo, TOKEN)) {
            assertThat(control(server, "/v2/repository/models/mlp/unload").status()).isEqualTo(200);
            assertThat(TestRepo.get(server, "/v2/models/mlp/ready").status()).isEqualTo(404);
            String index = control(server, "/v2/repository/index").body();
            assertThat(index).contains("\"name\":\"mlp\"", "UNAVAILABLE", "\"name\":\"empty\"", "no version directory");
            assertThat(control(server, "/v2/repository/models/mlp/load").status()).isEqualTo(200);
            assertThat(TestRepo.get(server, "/v2/models/mlp/ready").status()).isEqualTo(200);
            assertThat(control(server, "/v2/repository/models/ghost/load").status()).isEqualTo(404);
        }
    }
}
