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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jumbo bench serve}: LeNet-5 behind the model server on loopback, driven by a closed-loop
 * generator in the same JVM (each of {@code --concurrency} threads sends its next request when the
 * last is answered; binary tensor extension, batch 1 per request; {@code --client raw} keeps one
 * keep-alive socket per client, {@code --client jdk} uses java.net.http.HttpClient). Runs the
 * unbatched and batched cases as interleaved pairs and reports medians and the median per-pair
 * ratio, the process CPU per request, p99 against the batching delay plus compute, in-process
 * compute at batch 1 and per image at the max batch, and the per-request overhead of HTTP serving
 * over an in-process call at batch 1 (p50 of sequential requests minus p50 of calls, paired).
 *
 * <p>A closed loop at concurrency 32 keeps the server saturated, so its latency is set by
 * throughput (Little's law: 32 / throughput on average), not by the batching delay. The latency
 * cases therefore also run open loops: Poisson arrivals at {@code --open-rate} times the batched
 * throughput, timed from each request's scheduled send (see {@link #openLoop}).
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

    @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds per case per pair (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--pairs", defaultValue = "3",
            description = "Interleaved pairs per comparison (unbatched, batched, unbatched, ...; default ${DEFAULT-VALUE}); medians are reported.")
    int pairs;

    @Option(names = "--max-batch", defaultValue = "32", description = "Batched case's max batch size (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--delay-us", defaultValue = "2000", description = "Batched case's max queue delay in µs (default ${DEFAULT-VALUE}).")
    long delayMicros;

    @Option(names = "--client", defaultValue = "raw",
            description = "Load generator: raw (one keep-alive socket per client, like wrk) or jdk (java.net.http.HttpClient); default ${DEFAULT-VALUE}.")
    String clientKind;

    @Option(names = "--open-rate", defaultValue = "0.25",
            description = "Open-loop load for the latency cases, as a fraction of the batched closed-loop throughput (default ${DEFAULT-VALUE}).")
    double openRate;

    @Option(names = "--json", description = "Print the results as one JSON line last.")
    boolean json;

    private final HttpClient client = HttpClient.newHttpClient();
    private int port;

    @Override
    public Integer call() throws Exception {
        if (!clientKind.equals("raw") && !clientKind.equals("jdk")) {
            throw new IllegalArgumentException("--client: received '" + clientKind + "': expected raw or jdk");
        }
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
        // the collector sets the latency tail (./jumbo picks the Parallel one for serving)
        System.err.println("serve: garbage collectors: " + java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
                .stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        List<Map<String, Object>> results = new ArrayList<>();
        try (InferenceServer server = InferenceServer.start(new InferenceServer.Options(repo, "127.0.0.1", 0, null, 1 << 20))) {
            port = server.port();
            String batched = "/v2/models/batched/infer";
            String unbatched = "/v2/models/unbatched/infer";
            System.err.printf("serve: warm after %.1f s%n", warmUp(unbatched, batched, body));
            Run[] u = new Run[pairs];
            Run[] b = new Run[pairs];
            double[] ratio = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                u[i] = load(unbatched, body, concurrency, seconds);
                b[i] = load(batched, body, concurrency, seconds);
                ratio[i] = b[i].perSecond() / u[i].perSecond();
                System.err.printf("pair %d: unbatched %.0f req/s, batched %.0f req/s (%.2fx); CPU per request %.0f vs %.0f µs%n",
                        i, u[i].perSecond(), b[i].perSecond(), ratio[i], u[i].cpuMicrosPerRequest(), b[i].cpuMicrosPerRequest());
            }
            // Latency where the server is not saturated: Poisson arrivals at a fixed rate, both models
            double rate = openRate * median(b, Run::perSecond);
            Run[] uo = new Run[pairs];
            Run[] bo = new Run[pairs];
            for (int i = 0; i < pairs; i++) {
                uo[i] = openLoop(unbatched, body, rate, seconds);
                bo[i] = openLoop(batched, body, rate, seconds);
                System.err.printf("open loop %d at %.0f req/s: p99 unbatched %.2f ms, batched %.2f ms (p50 %.2f / %.2f); CPU per request %.0f vs %.0f µs%n",
                        i, rate, uo[i].p(0.99) / 1e6, bo[i].p(0.99) / 1e6, uo[i].p(0.5) / 1e6, bo[i].p(0.5) / 1e6,
                        uo[i].cpuMicrosPerRequest(), bo[i].cpuMicrosPerRequest());
            }
            ModelLoader.Loaded model = server.models().served("batched").versions().lastEntry().getValue().loaded();
            double computeMs = computeNanos(model, maxBatch, 20) / 1e6;
            long errors = 0;
            for (int i = 0; i < pairs; i++) {
                errors += u[i].errors + b[i].errors + uo[i].errors + bo[i].errors;
            }
            result(results, "throughput_unbatched_c" + concurrency, median(u, Run::perSecond), "req/s");
            result(results, "throughput_batched_c" + concurrency, median(b, Run::perSecond), "req/s");
            result(results, "batching_speedup", PairedTimer.median(ratio), "x");
            result(results, "batching_speedup_min", Arrays.stream(ratio).min().orElse(0), "x");
            result(results, "batching_speedup_max", Arrays.stream(ratio).max().orElse(0), "x");
            result(results, "cpu_per_request_unbatched_us", median(u, Run::cpuMicrosPerRequest), "us");
            result(results, "cpu_per_request_batched_us", median(b, Run::cpuMicrosPerRequest), "us");
            result(results, "p99_batched_ms", median(b, r -> r.p(0.99)) / 1e6, "ms");
            result(results, "delay_plus_batch_compute_ms", delayMicros / 1e3 + computeMs, "ms");
            result(results, "p99_unbatched_ms", median(u, r -> r.p(0.99)) / 1e6, "ms");
            result(results, "open_loop_rate", rate, "req/s");
            result(results, "p99_batched_open_loop_ms", median(bo, r -> r.p(0.99)) / 1e6, "ms");
            result(results, "p50_batched_open_loop_ms", median(bo, r -> r.p(0.5)) / 1e6, "ms");
            result(results, "p99_unbatched_open_loop_ms", median(uo, r -> r.p(0.99)) / 1e6, "ms");
            result(results, "errors", errors, "requests");
            result(results, "compute_batch1_us", computeNanos(model, 1, 200) / 1e3, "us");
            result(results, "compute_batch" + maxBatch + "_per_image_us", computeMs * 1e3 / maxBatch, "us");
            result(results, "compute_batch" + maxBatch + "_after_idle_us", computeNanos(model, maxBatch, 100, delayMicros) / 1e3, "us");
            double[] http = new double[pairs];
            double[] local = new double[pairs];
            double[] overhead = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                http[i] = load(unbatched, body, 1, seconds / 2).p(0.5);
                local[i] = inProcessP50Nanos(server, seconds / 2);
                overhead[i] = http[i] - local[i];
            }
            result(results, "http_p50_batch1_us", PairedTimer.median(http) / 1e3, "us");
            result(results, "inprocess_p50_batch1_us", PairedTimer.median(local) / 1e3, "us");
            result(results, "overhead_p50_batch1_us", PairedTimer.median(overhead) / 1e3, "us");
            result(results, "http_floor_p50_us", healthP50Nanos(seconds / 2) / 1e3, "us");
        }
        for (Map<String, Object> r : results) {
            System.out.printf("%-32s %12.2f %s%n", r.get("case"), (Double) r.get("value"), r.get("unit"));
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(Map.of("benchmark", "serve", "results", results)));
        }
        return 0;
    }

    /** Longest warm-up: the JIT of a busy two-core machine may still be compiling after this. */
    private static final double WARM_UP_CAP_SECONDS = 30;

    /**
     * Alternates half-second loads on both models until one round leaves the JIT compiling for under
     * 2% of its time (at least three rounds, at most {@value #WARM_UP_CAP_SECONDS} s). Two fixed
     * rounds of 1.5 s each were not enough: the JIT compiled on for 7 s more (150-200 compilations
     * a second, a core's worth), and the first unbatched case measured a fifth of its throughput.
     *
     * @return the seconds the warm-up took
     */
    private double warmUp(String unbatched, String batched, byte[] body) throws Exception {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        for (int round = 0; (System.nanoTime() - start) / 1e9 < WARM_UP_CAP_SECONDS; round++) {
            long compiling = timed ? jit.getTotalCompilationTime() : 0;
            long t0 = System.nanoTime();
            load(unbatched, body, concurrency, 0.5);
            load(batched, body, concurrency, 0.5);
            double busy = ((timed ? jit.getTotalCompilationTime() : 0) - compiling) / ((System.nanoTime() - t0) / 1e6);
            if (round >= 2 && busy < 0.02) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(Run[] runs, java.util.function.ToDoubleFunction<Run> f) {
        return PairedTimer.median(Arrays.stream(runs).mapToDouble(f).toArray());
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

    /** One closed-loop run: answered requests, failures, wall seconds, process CPU nanos and sorted latencies. */
    record Run(long count, long errors, double seconds, long cpuNanos, long[] latencies) {
        double perSecond() {
            return count / seconds;
        }

        /** Process CPU (generator and server together) per answered request. */
        double cpuMicrosPerRequest() {
            return count == 0 ? 0 : cpuNanos / 1e3 / count;
        }

        double p(double q) {
            return latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1, (int) Math.ceil(q * latencies.length) - 1)];
        }
    }

    /** One request of the chosen generator; returns the HTTP status. */
    private interface Sender extends AutoCloseable {
        int send() throws Exception;

        @Override
        default void close() throws java.io.IOException {}
    }

    private Sender sender(String path, byte[] body) throws java.io.IOException {
        if (body == null) {
            return clientKind.equals("raw") ? rawSender(KeepAliveClient.request("GET", path, "", new byte[0]))
                    : jdkSender(HttpRequest.newBuilder(uri(path)).GET().build());
        }
        String headers = "Inference-Header-Content-Length: " + headerLength() + "\r\nContent-Type: application/octet-stream\r\n";
        return clientKind.equals("raw") ? rawSender(KeepAliveClient.request("POST", path, headers, body))
                : jdkSender(HttpRequest.newBuilder(uri(path)).header("Inference-Header-Content-Length", Integer.toString(headerLength()))
                        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Sender rawSender(byte[] request) throws java.io.IOException {
        KeepAliveClient c = new KeepAliveClient(port);
        return new Sender() {
            @Override
            public int send() throws Exception {
                return c.send(request);
            }

            @Override
            public void close() throws java.io.IOException {
                c.close();
            }
        };
    }

    private Sender jdkSender(HttpRequest req) {
        return () -> client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A closed loop of {@code clients} threads for {@code secs} seconds. */
    private Run load(String path, byte[] body, int clients, double secs) throws Exception {
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            senders.add(sender(path, body));
        }
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        long end = t0 + (long) (secs * 1e9);
        for (Sender sender : senders) {
            long[][] mine = {new long[1 << 16]};
            int[] n = {0};
            Runnable loop = () -> {
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                        if (sender.send() != 200) {
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
            };
            // Blocking sockets on platform threads: no virtual-thread poller hop per read.
            threads.add(clientKind.equals("raw") ? Thread.ofPlatform().daemon().start(loop) : Thread.ofVirtual().start(loop));
        }
        joinAndClose(threads, senders);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Run(all.length, errors.get(), elapsed, cpu, all);
    }

    /** Keep-alive connections of the open loop: enough that a burst of arrivals rarely waits for one. */
    private static final int OPEN_LOOP_CONNECTIONS = 64;

    /**
     * An open loop: Poisson arrivals at {@code rate} requests/s for {@code secs} seconds, as
     * independent users send them, over up to {@value #OPEN_LOOP_CONNECTIONS} keep-alive
     * connections. Each latency counts from the request's scheduled time, not from when a connection
     * was free to send it, so a stalled server shows the wait its users would see (no coordinated
     * omission, as wrk2 measures); a generator thread waking late counts against the server too.
     */
    private Run openLoop(String path, byte[] body, double rate, double secs) throws Exception {
        int total = Math.max(1, (int) Math.ceil(rate * secs));
        long[] due = new long[total];
        SplittableRandom rnd = new SplittableRandom(42);
        double t = 0;
        for (int i = 0; i < total; i++) {
            t += -Math.log(1 - rnd.nextDouble()) / rate;
            due[i] = (long) (t * 1e9);
        }
        long[] latency = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        List<Sender> senders = new ArrayList<>();
        for (int c = 0; c < OPEN_LOOP_CONNECTIONS; c++) {
            senders.add(sender(path, body));
        }
        List<Thread> threads = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime() + 1_000_000L;
        for (Sender sender : senders) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                for (int i; (i = next.getAndIncrement()) < total; ) {
                    long at = t0 + due[i];
                    sleepUntil(at);
                    try {
                        if (sender.send() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latency[i] = System.nanoTime() - at;
                }
            }));
        }
        joinAndClose(threads, senders);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        Arrays.sort(latency);
        return new Run(total - errors.get(), errors.get(), elapsed, cpu, latency);
    }

    /** Parks the calling thread until {@link System#nanoTime()} reaches {@code deadline}. */
    private static void sleepUntil(long deadline) {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    /** Waits for a run's generator threads, then closes their connections. */
    private static void joinAndClose(List<Thread> threads, List<Sender> senders) throws Exception {
        for (Thread t : threads) {
            t.join();
        }
        for (Sender sender : senders) {
            sender.close();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** p50 of sequential GET /v2/health/live: what one HTTP round trip costs here, with no model work. */
    private double healthP50Nanos(double secs) throws Exception {
        return load("/v2/health/live", null, 1, secs).p(0.5);
    }

    /** Median time of {@code reps} back-to-back in-process forward passes over {@code batch} examples. */
    private static double computeNanos(ModelLoader.Loaded m, int batch, int reps) {
        return computeNanos(m, batch, reps, 0);
    }

    /**
     * Median time of {@code reps} in-process forward passes over {@code batch} examples, each after
     * the calling thread slept {@code idleMicros}: how a batch computes when the server is not busy
     * and the core has been idle (measured 1.2-2x slower here than back to back).
     */
    private static double computeNanos(ModelLoader.Loaded m, int batch, int reps, long idleMicros) {
        float[] x = new float[batch * m.inputSize()];
        long[] t = new long[reps];
        for (int i = 0; i < t.length; i++) {
            sleepUntil(System.nanoTime() + idleMicros * 1000);
            long s = System.nanoTime();
            m.run(x, batch);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[t.length / 2];
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
