package dev.jumbo.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.io.ModelDirectory;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Builds model repositories of tiny random models and talks HTTP to a running server. */
final class TestRepo {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestRepo() {}

    /** A 4 -> 8 -> 3 MLP with weights from {@code seed}. */
    static Module mlp(long seed) {
        return new Sequential(new Linear(4, 8, new Rng(seed)), new ReLU(), new Linear(8, 3, new Rng(seed + 1)));
    }

    static void write(Path repo, String name, long version, Module m) throws IOException {
        Files.createDirectories(repo.resolve(name));
        ModelDirectory.write(repo.resolve(name).resolve(Long.toString(version)), ModelSpec.of(m).toJson(), m.stateDict());
    }

    static Module lenet(long seed) {
        return Zoo.create("lenet5", new Rng(seed));
    }

    static void config(Path repo, String name, String json) throws IOException {
        Files.createDirectories(repo.resolve(name));
        Files.writeString(repo.resolve(name).resolve("serve.json"), json);
    }

    static InferenceServer start(Path repo, String token) throws IOException {
        return InferenceServer.start(new InferenceServer.Options(repo, "127.0.0.1", 0, token, 1 << 20));
    }

    record Reply(int status, String body, byte[] bytes, java.net.http.HttpHeaders headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static Reply get(InferenceServer s, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(s, path)).GET().build());
    }

    static Reply post(InferenceServer s, String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(s, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Reply post(InferenceServer s, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    static URI uri(InferenceServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }

    static Reply send(HttpRequest r) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(res.statusCode(), new String(res.body(), java.nio.charset.StandardCharsets.UTF_8), res.body(),
                res.headers());
    }
}
