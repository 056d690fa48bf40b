package dev.jumbo.cli;

import dev.jumbo.io.ModelDirectory;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.serve.InferenceServer;
import dev.jumbo.tensor.Rng;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving stage of {@code jumbo demo}: the spiral network's architecture (2-64-64-3) as model
 * version 1 in a temporary repository, served over the Open Inference Protocol on loopback; 8
 * clients send real requests while version 2 is written and hot-swapped in through the control API.
 * Reports requests, errors, latency and which versions answered.
 */
final class ServeDemo {
    private ServeDemo() {}

    record Result(long requests, long errors, double p50Micros, double p99Micros, double swapMillis,
            Map<String, Long> answeredBy) {}

    static Module spiralNet(long seed) {
        return new Sequential(new Linear(2, 64, new Rng(seed)), new ReLU(), new Linear(64, 64, new Rng(seed + 1)),
                new ReLU(), new Linear(64, 3, new Rng(seed + 2)));
    }

    static Result run(double seconds, PrintWriter progress) throws IOException, InterruptedException {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path repo = Files.createTempDirectory("jumbo-demo-models");
        Files.createDirectories(repo.resolve("spiral"));
        Module v1 = spiralNet(1);
        ModelDirectory.write(repo.resolve("spiral/1"), ModelSpec.of(v1).toJson(), v1.stateDict());
        HttpClient client = HttpClient.newHttpClient();
        try (InferenceServer server = InferenceServer.start(new InferenceServer.Options(repo, "127.0.0.1", 0, "demo-token", 1 << 20))) {
            String base = "http://127.0.0.1:" + server.port();
            progress.println("  serve   spiral v1 on " + base + "/v2/models/spiral/infer, 8 clients");
            AtomicLong errors = new AtomicLong();
            Map<String, Long> answeredBy = new ConcurrentHashMap<>();
            List<long[]> latencies = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int id = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    Rng rng = new Rng(100 + id);
                    long[] mine = new long[1 << 16];
                    int n = 0;
                    while (System.nanoTime() < end && n < mine.length) {
                        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":["
                                + rng.nextGaussian() + "," + rng.nextGaussian() + "]}]}";
                        long s = System.nanoTime();
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/spiral/infer"))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                                continue;
                            }
                            String v = r.body().replaceAll(".*\"model_version\":\"(\\d+)\".*", "$1");
                            answeredBy.merge(v, 1L, Long::sum);
                        } catch (IOException | InterruptedException e) {
                            errors.incrementAndGet();
                            continue;
                        }
                        mine[n++] = System.nanoTime() - s;
                    }
                    synchronized (latencies) {
                        latencies.add(Arrays.copyOf(mine, n));
                    }
                }));
            }
            Thread.sleep((long) (seconds * 400));
            Module v2 = spiralNet(2);
            ModelDirectory.write(repo.resolve("spiral/2"), ModelSpec.of(v2).toJson(), v2.stateDict());
            long s = System.nanoTime();
            HttpResponse<String> load = client.send(HttpRequest.newBuilder(URI.create(base + "/v2/repository/models/spiral/load"))
                    .header("Authorization", "Bearer demo-token").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            double swapMillis = (System.nanoTime() - s) / 1e6;
            progress.printf("  serve   hot swap to v2 under load: HTTP %d in %.1f ms%n", load.statusCode(), swapMillis);
            for (Thread t : clients) {
                t.join();
            }
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e3;
            double p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) Math.ceil(0.99 * all.length) - 1)] / 1e3;
            Result r = new Result(all.length + errors.get(), errors.get(), p50, p99, swapMillis, Map.copyOf(answeredBy));
            progress.printf("  serve   %d requests, %d errors, p50 %.0f us, p99 %.0f us, answered by versions %s%n",
                    r.requests(), r.errors(), p50, p99, r.answeredBy());
            return r;
        }
    }
}
