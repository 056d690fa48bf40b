package dev.jumbo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.io.InputStream;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jumbo against numbers saved from PyTorch 2.13 / torchvision 0.28 ({@code torch_conformance.py}
 * beside the fixture): a model with convolution, batch norm, torchvision's BasicBlock and Bottleneck,
 * max and average pooling, Linear, LayerNorm, RMSNorm, GELU and LogSoftmax, built here from the spec in
 * the file and loaded from PyTorch's state dict. Evaluation output, training output, updated
 * batch-norm buffers and every parameter gradient must agree.
 */
class NnConformanceTest {
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = NnConformanceTest.class.getResourceAsStream("torch_conformance.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode arr) {
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) arr.get(i).doubleValue();
        }
        return out;
    }

    private static Tensor tensor(JsonNode t) {
        JsonNode s = t.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).intValue();
        }
        return Tensor.of(floats(t.get("data")), shape);
    }

    private static Module model() {
        Module m = ModelSpec.fromJson(fixture.get("spec").toString(), "torch_conformance.json").build(new Rng(1));
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        fixture.get("state").fields().forEachRemaining(e -> state.put(e.getKey(), tensor(e.getValue())));
        m.loadStateDict(state, true);
        return m;
    }

    private static void assertClose(String what, float[] actual, float[] expected, double tol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            assertThat(err).as("%s[%d]: jumbo %s, torch %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tol * Math.max(1, Math.abs(expected[i])));
        }
    }

    @Test
    void evaluationOutputMatchesPyTorch() {
        Module m = model().eval();
        try (var ignored = Autograd.noGrad()) {
            Tensor y = m.forward(tensor(fixture.get("input")));
            assertClose("output_eval", y.toFloatArray(), floats(fixture.get("output_eval")), 1e-5);
        }
    }

    @Test
    void trainingStepMatchesPyTorch() {
        Module m = model().train();
        Tensor y = m.forward(tensor(fixture.get("input")));
        assertClose("output_train", y.toFloatArray(), floats(fixture.get("output_train")), 1e-5);
        y.backward(Tensor.of(floats(fixture.get("output_weights")), y.shape()));
        var state = m.stateDict();
        fixture.get("buffers_after_train").fields().forEachRemaining(e ->
                assertClose(e.getKey(), state.get(e.getKey()).toFloatArray(), floats(e.getValue()), 1e-5));
        var params = m.namedParameters();
        assertThat(params.keySet()).containsExactlyElementsOf(() -> fixture.get("grads").fieldNames());
        fixture.get("grads").fields().forEachRemaining(e ->
                assertClose("grad " + e.getKey(), params.get(e.getKey()).grad().toFloatArray(), floats(e.getValue()), 1e-4));
    }
}
