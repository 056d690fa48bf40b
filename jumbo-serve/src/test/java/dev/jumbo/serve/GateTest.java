package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jumbo.data.FashionMnist;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The regression gate, directly and on load (needs the Fashion-MNIST test split installed). */
class GateTest {
    @TempDir
    Path repo;

    @BeforeEach
    void needsData() {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed: " + FashionMnist.INSTALL_COMMAND);
    }

    @Test
    void identicalModelsPassAndDifferentOnesFailTheAgreementThreshold() throws Exception {
        TestRepo.write(repo, "a", 1, TestRepo.lenet(1));
        TestRepo.write(repo, "b", 1, TestRepo.lenet(2));
        ModelLoader.Loaded a = ModelLoader.load(repo.resolve("a/1"), null, 1);
        ModelLoader.Loaded a2 = ModelLoader.load(repo.resolve("a/1"), null, 1);
        ModelLoader.Loaded b = ModelLoader.load(repo.resolve("b/1"), null, 1);
        RegressionGate.Thresholds t = new RegressionGate.Thresholds(0.01, 0.99, 100, 256);
        RegressionGate.Result same = RegressionGate.run(a2, a, RegressionGate.data("fashion-mnist", 256), t);
        assertThat(same.passed()).as(same.failures().toString()).isTrue();
        assertThat(same.agreement()).isEqualTo(1.0);
        assertThat(same.candidateAccuracy()).isEqualTo(same.baselineAccuracy());
        RegressionGate.Result other = RegressionGate.run(b, a, RegressionGate.data("fashion-mnist", 256), t);
        assertThat(other.passed()).isFalse();
        assertThat(other.failures()).anySatisfy(f -> assertThat(f).contains("agreement"));
    }

    @Test
    void aVersionThatFailsTheGateOnLoadNeverTakesTraffic() throws Exception {
        TestRepo.write(repo, "lenet", 1, TestRepo.lenet(1));
        TestRepo.config(repo, "lenet", """
                {"gate": {"data": "fashion-mnist", "limit": 128, "min_agreement": 0.99, "max_latency_ratio": 100}}""");
        try (InferenceServer server = TestRepo.start(repo, "t")) {
            TestRepo.write(repo, "lenet", 2, TestRepo.lenet(2));
            TestRepo.Reply r = TestRepo.send(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/repository/models/lenet/load"))
                    .header("Authorization", "Bearer t").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).contains("version 2", "regression gate vs version 1", "agreement",
                    "still serving versions [1]");
            assertThat(TestRepo.get(server, "/v2/models/lenet").json().get("versions").toString()).isEqualTo("[\"1\"]");
            TestRepo.write(repo, "lenet", 3, TestRepo.lenet(1));
            TestRepo.Reply ok = TestRepo.send(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/repository/models/lenet/load"))
                    .header("Authorization", "Bearer t").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(TestRepo.get(server, "/v2/models/lenet").json().get("versions").toString()).isEqualTo("[\"3\"]");
        }
    }
}
