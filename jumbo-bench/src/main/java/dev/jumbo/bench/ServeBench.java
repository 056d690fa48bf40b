package dev.jumbo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.io.ModelDirectory;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.serve.InferenceServer;
import dev.jumbo.serve.ModelLoader;
import dev.jumbo.tensor.Rng;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jumbo bench serve}: LeNet-5 behind the model server on loopback, driven by a closed-loop
 * generator (each of {@code --concurrency} virtual threads sends its next request when the last is
 * answered; binary tensor extension, batch 1 per request). Measures throughput with dynamic batching
 * vs without, p99 latency against the batching delay plus compute, and the per-request overhead of
 * HTTP serving over an in-process call at batch 1 (p50 of sequential requests minus p50 of calls).
 *
 * <pre>{@code
 * ./jumbo bench serve --json       # last line: {"results": [{"case": ..., "value": ..., "unit": ...}, ...]}
 * }</pre>
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Model server: LeNet-5 throughput with vs without dynamic batching, p99, per-request overhead.")
public final class ServeBench implements Callable<Integer> {
    @Option(names = "--concurrency", defaultValue = "32", description = "Closed-loop clients (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per case (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--max-batch", defaultValue = "32", description = "Batched case's max batch size (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--delay-us", defaultValue = "2000", description = "Batched case's max queue delay in µs (default ${DEFAULT-VALUE}).")
    long delayMicros;

    @Option(names = "--json", description = "Print the results as one JSON line last.")
    boolean json;

    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        // Access logs per request would measure the console, not the server.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path repo = Files.createTempDirectory("jumbo-bench-serve");
        Module lenet = Zoo.create("lenet5", new Rng(1));
        for (String name : List.of("batched", "unbatched")) {
            Files.createDirectories(repo.resolve(name));
            ModelDirectory.write(repo.resolve(name + "/1"), ModelSpec.of(lenet).toJson(), lenet.stateDict());
        }
        Files.writeString(repo.resolve("batched/serve.json"), "{\"max_batch_size\": " + maxBatch
                + ", \"dynamic_batching\": {\"max_queue_delay_microseconds\": " + delayMicros + ", \"max_queue_size\": 1024}}");
        Files.writeString(repo.resolve("unbatched/serve.json"),
                "{\"max_batch_size\": 1, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 0, \"max_queue_size\": 1024}}");
        byte[] body = requestBody(new Rng(2));
        List<Map<String, Object>> results = new ArrayList<>();
        try (InferenceServer server = InferenceServer.start(new InferenceServer.Options(repo, "127.0.0.1", 0, null, 1 << 20))) {
            URI batched = URI.create("http://127.0.0.1:" + server.port() + "/v2/models/batched/infer");
            URI unbatched = URI.create("http://127.0.0.1:" + server.port() + "/v2/models/unbatched/infer");
            load(unbatched, body, concurrency, Math.min(2, seconds)); // warm-up
            load(batched, body, concurrency, Math.min(2, seconds));
            Run u = load(unbatched, body, concurrency, seconds);
            Run b = load(batched, body, concurrency, seconds);
            double computeMs = computeMillis(server, maxBatch);
            result(results, "throughput_unbatched_c" + concurrency, u.perSecond(), "req/s");
            result(results, "throughput_batched_c" + concurrency, b.perSecond(), "req/s");
            result(results, "batching_speedup", b.perSecond() / u.perSecond(), "x");
            result(results, "p99_batched_ms", b.p(0.99) / 1e6, "ms");
            result(results, "delay_plus_batch_compute_ms", delayMicros / 1e3 + computeMs, "ms");
            result(results, "p99_unbatched_ms", u.p(0.99) / 1e6, "ms");
            result(results, "errors", u.errors + b.errors, "requests");
            Run one = load(unbatched, body, 1, seconds);
            double inProcess = inProcessP50Nanos(server, seconds);
            result(results, "http_p50_batch1_us", one.p(0.5) / 1e3, "us");
            result(results, "inprocess_p50_batch1_us", inProcess / 1e3, "us");
            result(results, "overhead_p50_batch1_us", (one.p(0.5) - inProcess) / 1e3, "us");
            result(results, "http_floor_p50_us", healthP50Nanos(server, seconds) / 1e3, "us");
        }
        for (Map<String, Object> r : results) {
            System.out.printf("%-32s %12.2f %s%n", r.get("case"), (Double) r.get("value"), r.get("unit"));
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(Map.of("benchmark", "serve", "results", results)));
        }
        return 0;
    }

    private static void result(List<Map<String, Object>> out, String name, double value, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", name);
        m.put("value", value);
        m.put("unit", unit);
        out.add(m);
    }

    private static byte[] requestBody(Rng rng) {
        byte[] json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1,28,28],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":3136}}],\"outputs\":[{\"name\":\"output\",\"parameters\":{\"binary_data\":true}}]}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(json.length + 3136).order(ByteOrder.LITTLE_ENDIAN).put(json);
        for (int i = 0; i < 784; i++) {
            b.putFloat(rng.nextFloat());
        }
        return b.array();
    }

    private static int headerLength() {
        return requestBody(new Rng(0)).length - 3136;
    }

    record Run(long count, long errors, double seconds, long[] latencies) {
        double perSecond() {
            return count / seconds;
        }

        double p(double q) {
            return latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1, (int) Math.ceil(q * latencies.length) - 1)];
        }
    }

    /** A closed loop of {@code clients} virtual threads for {@code secs} seconds. */
    private Run load(URI uri, byte[] body, int clients, double secs) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).header("Inference-Header-Content-Length", Integer.toString(headerLength()))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long end = System.nanoTime() + (long) (secs * 1e9);
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[][] mine = {new long[1 << 16]};
            int[] n = {0};
            Thread t = Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n[0] == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    }
                    mine[0][n[0]++] = System.nanoTime() - s;
                }
                synchronized (perThread) {
                    perThread.add(Arrays.copyOf(mine[0], n[0]));
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Run(all.length, errors.get(), elapsed, all);
    }

    /** p50 of sequential GET /v2/health/live: what one HTTP round trip costs here, with no model work. */
    private double healthP50Nanos(InferenceServer server, double secs) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/health/live")).GET().build();
        List<Long> t = new ArrayList<>();
        long end = System.nanoTime() + (long) (secs * 1e9);
        while (System.nanoTime() < end) {
            long s = System.nanoTime();
            client.send(req, HttpResponse.BodyHandlers.discarding());
            t.add(System.nanoTime() - s);
        }
        long[] a = t.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[a.length / 2];
    }

    private static double computeMillis(InferenceServer server, int batch) {
        ModelLoader.Loaded m = server.models().served("batched").versions().lastEntry().getValue().loaded();
        float[] x = new float[batch * m.inputSize()];
        long[] t = new long[20];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            m.run(x, batch);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[t.length / 2] / 1e6;
    }

    private static double inProcessP50Nanos(InferenceServer server, double secs) {
        ModelLoader.Loaded m = server.models().served("unbatched").versions().lastEntry().getValue().loaded();
        float[] x = new float[m.inputSize()];
        List<Long> t = new ArrayList<>();
        long end = System.nanoTime() + (long) (secs * 1e9);
        while (System.nanoTime() < end) {
            long s = System.nanoTime();
            m.run(x, 1);
            t.add(System.nanoTime() - s);
        }
        long[] a = t.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[a.length / 2];
    }
}
