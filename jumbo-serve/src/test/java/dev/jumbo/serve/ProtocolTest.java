package dev.jumbo.serve;

import static dev.jumbo.serve.TestRepo.get;
import static dev.jumbo.serve.TestRepo.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, metadata and infer round trips over real HTTP, shaped as the KServe and Triton clients send them. */
class ProtocolTest {
    @TempDir
    static Path repo;
    static InferenceServer server;

    static final float[] X = {0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 3f};

    @BeforeAll
    static void start() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(7));
        TestRepo.write(repo, "lenet", 3, TestRepo.lenet(5));
        server = TestRepo.start(repo, "secret-token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static float[] expected(Module m, float[] x, int... shape) {
        m.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return m.forward(Tensor.of(x, shape)).toFloatArray();
        }
    }

    @Test
    void healthAndServerMetadata() throws Exception {
        assertThat(get(server, "/v2/health/live").status()).isEqualTo(200);
        TestRepo.Reply ready = get(server, "/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        JsonNode meta = get(server, "/v2").json();
        assertThat(meta.get("name").asText()).isEqualTo("jumbo");
        assertThat(meta.has("version")).isTrue();
        assertThat(meta.get("extensions").toString()).contains("binary_tensor_data");
    }

    @Test
    void modelMetadataAndReady() throws Exception {
        TestRepo.Reply r = get(server, "/v2/models/mlp");
        assertThat(r.status()).isEqualTo(200);
        JsonNode m = r.json();
        assertThat(m.get("name").asText()).isEqualTo("mlp");
        assertThat(m.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(m.get("platform").asText()).isEqualTo("jumbo");
        assertThat(m.get("inputs").toString()).isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
        assertThat(m.get("outputs").toString()).isEqualTo("[{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
        JsonNode lenet = get(server, "/v2/models/lenet/versions/3").json();
        assertThat(lenet.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,1,28,28]");
        assertThat(lenet.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,10]");
        assertThat(get(server, "/v2/models/mlp/ready").status()).isEqualTo(200);
        assertThat(get(server, "/v2/models/mlp/versions/1/ready").status()).isEqualTo(200);
        assertThat(get(server, "/v2/models/mlp/versions/2/ready").status()).isEqualTo(404);
    }

    @Test
    void inferAsTheKServeClientSendsIt() throws Exception {
        // kserve.InferRequest.to_rest(): id, parameters, inputs with name/shape/datatype/data (flat).
        String body = """
                {"id": "req-42", "parameters": {}, "inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP32",
                 "parameters": {}, "data": [0.5, -1.0, 2.0, 0.25, 1.0, 1.0, -0.5, 3.0]}]}""";
        TestRepo.Reply r = post(server, "/v2/models/mlp/infer", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("model_name").asText()).isEqualTo("mlp");
        assertThat(j.get("model_version").asText()).isEqualTo("1");
        assertThat(j.get("id").asText()).isEqualTo("req-42");
        JsonNode out = j.get("outputs").get(0);
        assertThat(out.get("name").asText()).isEqualTo("output");
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(out.get("shape").toString()).isEqualTo("[2,3]");
        float[] want = expected(TestRepo.mlp(7), X, 2, 4);
        for (int i = 0; i < want.length; i++) {
            assertThat((float) out.get("data").get(i).asDouble()).isEqualTo(want[i]);
        }
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void inferWithNestedDataIntegerTypesAndVersionPath() throws Exception {
        String body = """
                {"inputs": [{"name": "input", "shape": [1, 4], "datatype": "INT32", "data": [[1, 2, 3, 4]]}],
                 "outputs": [{"name": "output"}]}""";
        TestRepo.Reply r = post(server, "/v2/models/mlp/versions/1/infer", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        float[] want = expected(TestRepo.mlp(7), new float[] {1, 2, 3, 4}, 1, 4);
        assertThat((float) r.json().get("outputs").get(0).get("data").get(2).asDouble()).isEqualTo(want[2]);
        for (String dt : new String[] {"INT64", "UINT8", "FP64"}) {
            String b = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"" + dt + "\",\"data\":[1,2,3,4]}]}";
            assertThat(post(server, "/v2/models/mlp/infer", b).status()).as(dt).isEqualTo(200);
        }
        String bools = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"BOOL\",\"data\":[true,false,true,true]}]}";
        assertThat(post(server, "/v2/models/mlp/infer", bools).status()).isEqualTo(200);
        String bytes = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"BYTES\",\"data\":[\"1\",\"2\",\"3\",\"4\"]}]}";
        TestRepo.Reply rb = post(server, "/v2/models/mlp/infer", bytes);
        assertThat(rb.status()).isEqualTo(200);
        assertThat((float) rb.json().get("outputs").get(0).get("data").get(2).asDouble()).isEqualTo(want[2]);
    }

    @Test
    void binaryTensorDataRoundTripAsTritonClientSendsIt() throws Exception {
        // tritonclient.http: input with parameters.binary_data_size, output with parameters.binary_data.
        String header = """
                {"inputs":[{"name":"input","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}],\
                "outputs":[{"name":"output","parameters":{"binary_data":true}}]}""";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(json.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(json);
        for (float v : X) {
            b.putFloat(v);
        }
        TestRepo.Reply r = post(server, "/v2/models/mlp/infer", b.array(), "Content-Type", "application/octet-stream",
                "Inference-Header-Content-Length", Integer.toString(json.length));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        int jsonLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = TestRepo.JSON.readTree(new String(r.bytes(), 0, jsonLength, StandardCharsets.UTF_8));
        JsonNode out = head.get("outputs").get(0);
        assertThat(out.get("parameters").get("binary_data_size").asInt()).isEqualTo(24);
        assertThat(out.has("data")).isFalse();
        ByteBuffer data = ByteBuffer.wrap(r.bytes(), jsonLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        float[] want = expected(TestRepo.mlp(7), X, 2, 4);
        for (float w : want) {
            assertThat(data.getFloat()).isEqualTo(w);
        }
    }

    @Test
    void pngPredictForImageModels() throws Exception {
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 10; y < 46; y++) {
            for (int x = 20; x < 36; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        TestRepo.Reply r = post(server, "/v1/predict?model=lenet", png.toByteArray(), "Content-Type", "image/png");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("scores").size()).isEqualTo(10);
        assertThat(r.json().get("class").asInt()).isBetween(0, 9);
        TestRepo.Reply bad = post(server, "/v1/predict?model=lenet", "not a png".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "image/png");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("PNG");
    }
}
