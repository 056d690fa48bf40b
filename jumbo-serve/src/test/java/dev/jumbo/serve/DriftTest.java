package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jumbo.tensor.Rng;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PSI, KS and Jensen-Shannon on known samples, and drift seen through the server. */
class DriftTest {
    @TempDir
    Path repo;

    static double[] gaussian(long seed, int n, double mean) {
        Rng rng = new Rng(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + rng.nextGaussian();
        }
        return x;
    }

    @Test
    void statisticsSeparateSameFromShifted() {
        double[] ref = gaussian(1, 2000, 0);
        double[] same = gaussian(2, 2000, 0);
        double[] shifted = gaussian(3, 2000, 0.5);
        assertThat(DriftStats.psi(ref, same, 10)).isLessThan(0.05);
        assertThat(DriftStats.psi(ref, shifted, 10)).isGreaterThan(0.1);
        assertThat(DriftStats.ks(ref, same)[1]).isGreaterThan(0.01);
        assertThat(DriftStats.ks(ref, shifted)[0]).isGreaterThan(0.15);
        assertThat(DriftStats.ks(ref, shifted)[1]).isLessThan(1e-6);
        assertThat(DriftStats.jensenShannon(new long[] {5, 5, 0}, new long[] {10, 10, 0})).isCloseTo(0, within(1e-12));
        assertThat(DriftStats.jensenShannon(new long[] {1, 0}, new long[] {0, 1})).isCloseTo(1, within(1e-12));
    }

    static String batch(Rng rng, int rows, double mean) {
        StringBuilder sb = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[" + rows + ",4],\"datatype\":\"FP32\",\"data\":[");
        for (int i = 0; i < rows * 4; i++) {
            sb.append(i == 0 ? "" : ",").append((float) (mean + rng.nextGaussian()));
        }
        return sb.append("]}]}").toString();
    }

    @Test
    void serverReportsDriftWhenInputsShift() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(1));
        TestRepo.config(repo, "mlp", "{\"drift_window\": 500}");
        try (InferenceServer server = TestRepo.start(repo, null)) {
            Rng rng = new Rng(9);
            for (int i = 0; i < 10; i++) {
                assertThat(TestRepo.post(server, "/v2/models/mlp/infer", batch(rng, 50, 0)).status()).isEqualTo(200);
            }
            assertThat(TestRepo.get(server, "/v2/models/mlp/drift").json().get("versions").get("1").get("state").asText())
                    .isEqualTo("collecting current window");
            for (int i = 0; i < 10; i++) {
                TestRepo.post(server, "/v2/models/mlp/infer", batch(rng, 50, 0));
            }
            JsonNode calm = TestRepo.get(server, "/v2/models/mlp/drift").json().get("versions").get("1");
            assertThat(calm.get("drifted").asBoolean()).as(calm.toString()).isFalse();
            for (int i = 0; i < 10; i++) {
                TestRepo.post(server, "/v2/models/mlp/infer", batch(rng, 50, 2.0));
            }
            JsonNode shifted = TestRepo.get(server, "/v2/models/mlp/drift").json().get("versions").get("1");
            assertThat(shifted.get("drifted").asBoolean()).as(shifted.toString()).isTrue();
            assertThat(shifted.get("psi").get(0).asDouble()).isGreaterThan(DriftMonitor.PSI_THRESHOLD);
            assertThat(shifted.get("ks_p_value").get(0).asDouble()).isLessThan(1e-3);
            assertThat(TestRepo.get(server, "/metrics").body()).contains(
                    "jumbo_drift_psi{feature=\"0\",model=\"mlp\",version=\"1\"}",
                    "jumbo_drift_detected{model=\"mlp\",version=\"1\"} 1.0",
                    "jumbo_drift_prediction_js_divergence{model=\"mlp\",version=\"1\"}");
        }
    }
}
