package dev.jumbo.serve;

import static dev.jumbo.serve.TestRepo.get;
import static dev.jumbo.serve.TestRepo.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed-request corpus: each one a 4xx with {"error": ...} naming what was wrong; the server stays healthy. */
class BadRequestTest {
    @TempDir
    static Path repo;
    static InferenceServer server;

    @BeforeAll
    static void start() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(7));
        server = TestRepo.start(repo, "secret-token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String input(String shape, String datatype, String data) {
        return "{\"inputs\":[{\"name\":\"input\",\"shape\":" + shape + ",\"datatype\":\"" + datatype + "\",\"data\":" + data + "}]}";
    }

    record Case(String path, String body, int status, String mentions) {}

    @Test
    void everyMalformedRequestIsA4xxNamingTheProblem() throws Exception {
        List<Case> cases = List.of(
                new Case("/v2/models/mlp/infer", "{\"inputs\": [", 400, "malformed JSON"),
                new Case("/v2/models/mlp/infer", "[1,2]", 400, "JSON object"),
                new Case("/v2/models/mlp/infer", "{}", 400, "inputs"),
                new Case("/v2/models/mlp/infer", input("[1,5]", "FP32", "[1,2,3,4,5]"), 400, "shape [1, 5] does not match the model's input shape [-1, 4]"),
                new Case("/v2/models/mlp/infer", input("[2,4]", "FP32", "[1,2,3,4]"), 400, "4 values for shape [2, 4], expected 8"),
                new Case("/v2/models/mlp/infer", input("[1,4]", "FP17", "[1,2,3,4]"), 400, "unknown datatype \"FP17\""),
                new Case("/v2/models/mlp/infer", input("[1,4]", "INT32", "[1.5,2,3,4]"), 400, "an integer for INT32"),
                new Case("/v2/models/mlp/infer", input("[1,4]", "UINT8", "[1,2,3,300]"), 400, "outside UINT8"),
                new Case("/v2/models/mlp/infer", input("[1,4]", "FP32", "[\"a\",2,3,4]"), 400, "a number for FP32"),
                new Case("/v2/models/mlp/infer", input("[1,4]", "FP32", "[NaN,2,3,4]"), 400, "malformed JSON"),
                new Case("/v2/models/mlp/infer", input("[1,4]", "BYTES", "[\"x\",\"2\",\"3\",\"4\"]"), 400, "not a number"),
                new Case("/v2/models/mlp/infer", input("[-1,4]", "FP32", "[1,2,3,4]"), 400, "non-negative"),
                new Case("/v2/models/mlp/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}", 400, "unknown input 'x'"),
                new Case("/v2/models/mlp/infer", "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}],\"outputs\":[{\"name\":\"probs\"}]}", 400, "unknown output 'probs'"),
                new Case("/v2/models/nope/infer", input("[1,4]", "FP32", "[1,2,3,4]"), 404, "unknown model 'nope'"),
                new Case("/v2/models/mlp/versions/9/infer", input("[1,4]", "FP32", "[1,2,3,4]"), 404, "no version 9"),
                new Case("/v2/models/mlp/versions/1x/infer", input("[1,4]", "FP32", "[1,2,3,4]"), 400, "invalid version"),
                new Case("/v2/models/..%2F..%2Fetc/infer", input("[1,4]", "FP32", "[1,2,3,4]"), 404, "no endpoint"),
                new Case("/v2/models/a..b/infer", input("[1,4]", "FP32", "[1,2,3,4]"), 400, "invalid model name"),
                new Case("/v2/repository/models/..%2Fmlp/load", "{}", 404, "no endpoint"),
                new Case("/v2/models/.hidden/infer", input("[1,4]", "FP32", "[1,2,3,4]"), 400, "invalid model name"),
                new Case("/v2/nothing-here", "{}", 404, "no endpoint"),
                new Case("/v2/repository/models/mlp/load", "{}", 401, "bearer token"),
                new Case("/v2/repository/index", "{}", 401, "bearer token"));
        for (Case c : cases) {
            TestRepo.Reply r = post(server, c.path, c.body);
            assertThat(r.status()).as(c.path + " " + c.body + " -> " + r.body()).isEqualTo(c.status);
            assertThat(r.json().get("error").asText()).as(c.body).contains(c.mentions);
        }
        TestRepo.Reply wrongToken = TestRepo.send(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/repository/index"))
                .header("Authorization", "Bearer wrong").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(get(server, "/v2/health/live").status()).isEqualTo(200);
        assertThat(get(server, "/v2/health/ready").status()).isEqualTo(200);
    }

    @Test
    void binaryExtensionErrorsAndNaN() throws Exception {
        String header = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(json.length + 16).order(ByteOrder.LITTLE_ENDIAN).put(json);
        b.putFloat(1).putFloat(Float.NaN).putFloat(2).putFloat(3);
        TestRepo.Reply nan = post(server, "/v2/models/mlp/infer", b.array(), "Inference-Header-Content-Length",
                Integer.toString(json.length));
        assertThat(nan.status()).isEqualTo(400);
        assertThat(nan.json().get("error").asText()).contains("element 1 is NaN");
        TestRepo.Reply shortData = post(server, "/v2/models/mlp/infer", java.util.Arrays.copyOf(b.array(), json.length + 8),
                "Inference-Header-Content-Length", Integer.toString(json.length));
        assertThat(shortData.status()).isEqualTo(400);
        assertThat(shortData.json().get("error").asText()).contains("binary_data_size 16 but 8 bytes");
        TestRepo.Reply badLength = post(server, "/v2/models/mlp/infer", b.array(), "Inference-Header-Content-Length", "99999");
        assertThat(badLength.status()).isEqualTo(400);
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        byte[] big = new byte[2 << 20];
        // Expect: 100-continue, as curl sends for large bodies: the server answers 413 from the
        // headers before any of the body is sent. Without it the answer races the upload, and the
        // client can lose it when the server closes the connection on the unread body.
        TestRepo.Reply r = TestRepo.send(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/models/mlp/infer"))
                .header("Content-Type", "application/json").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertThat(r.status()).isEqualTo(413);
        assertThat(get(server, "/v2/health/ready").status()).isEqualTo(200);
    }

    @Test
    void metricsExpositionParsesAndHasTheSeries() throws Exception {
        post(server, "/v2/models/mlp/infer", input("[1,4]", "FP32", "[1,2,3,4]"));
        post(server, "/v2/models/mlp/infer", input("[1,5]", "FP32", "[1,2,3,4,5]"));
        TestRepo.Reply r = get(server, "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? "
                + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( [0-9]+)?");
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertThat(sample.matcher(line).matches()).as(line).isTrue();
            }
        }
        assertThat(r.body()).contains(
                "jumbo_inference_request_success_total{model=\"mlp\",version=\"1\"}",
                "jumbo_inference_request_failure_total{model=\"mlp\",reason=\"bad_request\",version=\"1\"}",
                "jumbo_inference_request_duration_seconds_bucket{model=\"mlp\",version=\"1\",le=",
                "jumbo_inference_queue_duration_seconds_count{model=\"mlp\",version=\"1\"}",
                "jumbo_inference_compute_duration_seconds_count{model=\"mlp\",version=\"1\"}",
                "jumbo_inference_batch_size_bucket{model=\"mlp\",version=\"1\",le=\"1.0\"}",
                "jumbo_inference_queue_depth{model=\"mlp\",version=\"1\"}",
                "jvm_memory_used_bytes", "jvm_gc_collection_seconds", "process_cpu_seconds_total");
        // Every series the Grafana dashboard queries is exposed (by its base name).
        String dashboard = java.nio.file.Files.readString(Path.of("../examples/grafana/jumbo-dashboard.json"));
        java.util.regex.Matcher m = Pattern.compile("\\b((jumbo|jvm|process)_[a-z_]+)").matcher(dashboard);
        int names = 0;
        while (m.find()) {
            names++;
            String base = m.group(1).replaceAll("_(bucket|sum|count|total)$", "");
            if (base.equals("jumbo_canary_rollbacks")) {
                continue; // appears with the first rollback (CanaryTest checks it)
            }
            assertThat(r.body()).as("dashboard series " + m.group(1)).contains(base);
        }
        assertThat(names).isGreaterThan(10);
    }
}
