package dev.jumbo.serve;

import static dev.jumbo.serve.TestRepo.get;
import static dev.jumbo.serve.TestRepo.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.Flatten;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import dev.jumbo.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved ensemble in {@code models/<name>/1/} is served like any model. */
class EnsembleServeTest {
    @TempDir
    Path repo;

    private static final List<String> CLASSES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

    /** A lenet5 (zoo) and a flatten-linear (spec layers) member. */
    private static Ensemble ensemble(Ensemble.Combiner combiner) {
        List<Module> members = List.of(TestRepo.lenet(11), new Sequential(new Flatten(), new Linear(784, 10, new Rng(12))));
        Ensemble e = new Ensemble(combiner, members, new int[] {1, 28, 28}, new Rng(13));
        if (combiner == Ensemble.Combiner.WEIGHTED) {
            e.weights(new double[] {0.8, 0.2});
        }
        return e;
    }

    private static int argmax(float[] row, int from, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            best = row[from + c] > row[from + best] ? c : best;
        }
        return best;
    }

    @Test
    void aSavedEnsembleAnswersKServeInferWithTheInProcessClass() throws Exception {
        Ensemble soft = ensemble(Ensemble.Combiner.SOFT);
        Ensemble weighted = ensemble(Ensemble.Combiner.WEIGHTED);
        Model.save(repo.resolve("ens").resolve("1"), soft, CLASSES);
        Model.save(repo.resolve("ensw").resolve("1"), weighted, CLASSES);
        Rng rng = new Rng(5);
        float[] x = new float[2 * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            data.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9g", x[i]));
        }
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,1,28,28],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}";
        try (InferenceServer server = TestRepo.start(repo, "t")) {
            JsonNode meta = get(server, "/v2/models/ens").json();
            assertThat(meta.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,1,28,28]");
            assertThat(meta.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,10]");
            for (String name : List.of("ens", "ensw")) {
                Ensemble local = name.equals("ens") ? soft : weighted;
                TestRepo.Reply r = post(server, "/v2/models/" + name + "/infer", body);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode out = r.json().get("outputs").get(0);
                assertThat(out.get("shape").toString()).isEqualTo("[2,10]");
                float[] served = new float[20];
                for (int i = 0; i < 20; i++) {
                    served[i] = (float) out.get("data").get(i).asDouble();
                }
                float[] probs = Trainer.predictWith(local, Tensor.of(x, 2, 1, 28, 28)).toFloatArray();
                for (int row = 0; row < 2; row++) {
                    assertThat(argmax(served, row * 10, 10)).as(name + " row " + row).isEqualTo(argmax(probs, row * 10, 10));
                    double sum = 0;
                    for (int c = 0; c < 10; c++) { // the output is log-probabilities: they exponentiate to a distribution
                        sum += Math.exp(served[row * 10 + c]);
                        assertThat(Math.exp(served[row * 10 + c])).isCloseTo(probs[row * 10 + c],
                                org.assertj.core.data.Offset.offset(1e-5));
                    }
                    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }
}
