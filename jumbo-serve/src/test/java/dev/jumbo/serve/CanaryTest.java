package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jumbo.tensor.Rng;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aliases, canary split, shadow mirroring and automatic rollback. */
class CanaryTest {
    @TempDir
    Path repo;

    static String randomBody(Rng rng) {
        float[] row = new float[4];
        for (int j = 0; j < 4; j++) {
            row[j] = (float) rng.nextGaussian() * 3;
        }
        return BatchingTest.body(row);
    }

    static JsonNode awaitCanary(InferenceServer s, java.util.function.Predicate<JsonNode> done) throws Exception {
        JsonNode c = null;
        for (int i = 0; i < 500; i++) {
            c = TestRepo.get(s, "/v2/models/mlp/canary").json();
            if (done.test(c)) {
                return c;
            }
            Thread.sleep(10);
        }
        return c;
    }

    @Test
    void aliasesAndCanarySplitWithAnIdenticalChallenger() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(4));
        TestRepo.write(repo, "mlp", 2, TestRepo.mlp(4));
        TestRepo.config(repo, "mlp", """
                {"version_policy": {"all": {}}, "aliases": {"champion": 1, "challenger": 2},
                 "canary": {"percent": 50, "rollback": {"min_requests": 5, "min_agreement": 0.99}}}""");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            Rng rng = new Rng(2);
            Set<String> answeredBy = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                TestRepo.Reply r = TestRepo.post(server, "/v2/models/mlp/infer", randomBody(rng));
                assertThat(r.status()).isEqualTo(200);
                answeredBy.add(r.json().get("model_version").asText());
            }
            assertThat(answeredBy).containsExactlyInAnyOrder("1", "2");
            assertThat(TestRepo.post(server, "/v2/models/mlp/versions/champion/infer", randomBody(rng)).json()
                    .get("model_version").asText()).isEqualTo("1");
            assertThat(TestRepo.post(server, "/v2/models/mlp/versions/challenger/infer", randomBody(rng)).json()
                    .get("model_version").asText()).isEqualTo("2");
            assertThat(TestRepo.post(server, "/v2/models/mlp/versions/stable/infer", randomBody(rng)).status()).isEqualTo(404);
            JsonNode c = awaitCanary(server, n -> n.get("comparisons").asLong() >= 5);
            assertThat(c.get("agreement").asDouble()).isEqualTo(1.0);
            assertThat(c.get("rolled_back").isNull()).isTrue();
        }
    }

    @Test
    void shadowMirrorsToTheChallengerAndRollsBackOnDisagreement() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(4));
        TestRepo.write(repo, "mlp", 2, TestRepo.mlp(90));
        TestRepo.config(repo, "mlp", """
                {"version_policy": {"all": {}}, "aliases": {"champion": 1, "challenger": 2},
                 "canary": {"shadow": true, "rollback": {"min_requests": 10, "min_agreement": 0.99}}}""");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            Rng rng = new Rng(3);
            for (int i = 0; i < 40; i++) {
                TestRepo.Reply r = TestRepo.post(server, "/v2/models/mlp/infer", randomBody(rng));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("model_version").asText()).as("shadow answers come from the champion").isEqualTo("1");
            }
            JsonNode c = awaitCanary(server, n -> !n.get("rolled_back").isNull());
            assertThat(c.get("rolled_back").asText()).contains("agreement");
            assertThat(TestRepo.get(server, "/metrics").body())
                    .contains("jumbo_canary_rollbacks_total{model=\"mlp\",reason=\"agreement\"} 1.0");
        }
    }

    @Test
    void latencyThresholdRollsTheCanaryBackToTheChampion() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(4));
        TestRepo.write(repo, "mlp", 2, TestRepo.mlp(4));
        TestRepo.config(repo, "mlp", """
                {"version_policy": {"all": {}}, "aliases": {"champion": 1, "challenger": 2},
                 "canary": {"percent": 100, "rollback": {"min_requests": 5, "max_p99_ms": 0.000001}}}""");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            Rng rng = new Rng(4);
            for (int i = 0; i < 5; i++) {
                assertThat(TestRepo.post(server, "/v2/models/mlp/infer", randomBody(rng)).json()
                        .get("model_version").asText()).isEqualTo("2");
            }
            assertThat(TestRepo.get(server, "/v2/models/mlp/canary").json().get("rolled_back").asText()).contains("p99");
            for (int i = 0; i < 5; i++) {
                assertThat(TestRepo.post(server, "/v2/models/mlp/infer", randomBody(rng)).json()
                        .get("model_version").asText()).isEqualTo("1");
            }
        }
    }

    @Test
    void aliasToAVersionThatIsNotLoadedFailsTheLoad() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(4));
        TestRepo.config(repo, "mlp", """
                {"aliases": {"champion": 1, "challenger": 7}}""");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            assertThat(TestRepo.get(server, "/v2/models/mlp").status()).isEqualTo(404);
            assertThat(server.models().index().toString()).contains("alias 'challenger' points to version 7");
        }
    }
}
