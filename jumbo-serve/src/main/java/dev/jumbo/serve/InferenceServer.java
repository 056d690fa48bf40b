package dev.jumbo.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The model server: Open Inference Protocol (KServe v2) REST endpoints over a Triton-layout
 * repository, with dynamic batching, a bearer-token control API for hot loads, Prometheus metrics
 * and JSON access logs. Helidon SE 4 carries the HTTP (one virtual thread per request).
 *
 * <pre>{@code
 * try (InferenceServer s = InferenceServer.start(new InferenceServer.Options(
 *         Path.of("models"), "127.0.0.1", 8000, "secret", 64L << 20))) {
 *     // POST http://127.0.0.1:8000/v2/models/fashion/infer
 * }
 * }</pre>
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    static final HeaderName HEADER_LENGTH = HeaderNames.create("Inference-Header-Content-Length");
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    /**
     * @param token        the control API's bearer token; null disables the control API (403)
     * @param maxBodyBytes the largest request body accepted (413 above)
     */
    public record Options(Path repository, String host, int port, String token, long maxBodyBytes) {}

    private final Options options;
    private final ServeMetrics metrics = new ServeMetrics();
    private final ModelManager models;
    private final WebServer server;
    private volatile boolean ready;
    private volatile boolean draining;

    private InferenceServer(Options options) throws IOException {
        this.options = options;
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        this.models = new ModelManager(new ModelRepository(options.repository()), metrics);
        models.loadAll();
        HttpRouting.Builder r = HttpRouting.builder();
        r.addFilter(new AccessLog(metrics));
        r.get("/v2/health/live", wrap((req, res) -> json(res, 200, obj().put("live", true))));
        r.get("/v2/health/ready", wrap((req, res) -> json(res, isReady() ? 200 : 400, obj().put("ready", isReady()))));
        r.get("/v2", wrap((req, res) -> serverMetadata(res)));
        r.get("/v2/models/{m}", wrap((req, res) -> modelMetadata(res, param(req, "m"), null)));
        r.get("/v2/models/{m}/versions/{v}", wrap((req, res) -> modelMetadata(res, param(req, "m"), param(req, "v"))));
        r.get("/v2/models/{m}/ready", wrap((req, res) -> modelReady(res, param(req, "m"), null)));
        r.get("/v2/models/{m}/versions/{v}/ready", wrap((req, res) -> modelReady(res, param(req, "m"), param(req, "v"))));
        r.post("/v2/models/{m}/infer", wrap((req, res) -> infer(req, res, param(req, "m"), null)));
        r.post("/v2/models/{m}/versions/{v}/infer", wrap((req, res) -> infer(req, res, param(req, "m"), param(req, "v"))));
        r.post("/v1/predict", wrap(this::predictPng));
        r.get("/v2/models/{m}/canary", wrap((req, res) -> {
            ModelManager.Served s = models.served(param(req, "m"));
            if (s == null || s.canary() == null) {
                throw ServeException.notFound("model '" + param(req, "m") + "' is not loaded or has no canary");
            }
            json(res, 200, InferCodec.JSON.valueToTree(s.canary().status()));
        }));
        r.post("/v2/repository/index", wrap((req, res) -> {
            authorize(req);
            ArrayNode a = InferCodec.JSON.createArrayNode();
            models.index().forEach(row -> a.add(InferCodec.JSON.valueToTree(row)));
            json(res, 200, a);
        }));
        r.post("/v2/repository/models/{m}/load", wrap((req, res) -> {
            authorize(req);
            models.load(param(req, "m"));
            json(res, 200, obj());
        }));
        r.post("/v2/repository/models/{m}/unload", wrap((req, res) -> {
            authorize(req);
            models.unload(param(req, "m"));
            json(res, 200, obj());
        }));
        r.get("/v2/models/{m}/drift", wrap((req, res) -> {
            ModelManager.Served s = models.served(param(req, "m"));
            if (s == null) {
                throw ServeException.notFound("unknown model '" + param(req, "m") + "'");
            }
            ObjectNode o = obj().put("model_name", s.name());
            ObjectNode vs = o.putObject("versions");
            s.versions().forEach((v, mv) -> vs.set(Long.toString(v), InferCodec.JSON.valueToTree(mv.drift.report())));
            json(res, 200, o);
        }));
        r.get("/metrics", wrap((req, res) -> {
            updateDriftGauges();
            res.header(HeaderNames.CONTENT_TYPE, ServeMetrics.contentType());
            res.send(metrics.scrape());
        }));
        r.any(wrap((req, res) -> {
            throw ServeException.notFound("no endpoint " + req.prologue().method().text() + " " + req.path().path());
        }));
        this.server = WebServer.builder()
                .host(options.host())
                .port(options.port())
                .maxPayloadSize(options.maxBodyBytes())
                .addRouting(r)
                .build()
                .start();
        ready = true;
        LOG.info("serving {} on http://{}:{} (models {})", models.repository().root(), options.host(), server.port(),
                models.all().stream().map(ModelManager.Served::name).sorted().toList());
    }

    /** Loads every model in the repository, then listens. */
    public static InferenceServer start(Options options) throws IOException {
        return new InferenceServer(options);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.port();
    }

    public ModelManager models() {
        return models;
    }

    public ServeMetrics metrics() {
        return metrics;
    }

    private boolean isReady() {
        return ready && !draining;
    }

    // ------------------------------------------------------------------ handlers

    private void serverMetadata(ServerResponse res) {
        ObjectNode o = obj().put("name", "jumbo").put("version", version());
        o.putArray("extensions").add("binary_tensor_data").add("model_repository");
        json(res, 200, o);
    }

    private static String version() {
        String v = InferenceServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    private void modelMetadata(ServerResponse res, String name, String version) {
        ModelVersion mv = models.acquire(name, version);
        try {
            ObjectNode o = obj().put("name", name);
            ArrayNode vs = o.putArray("versions");
            if (version != null) {
                vs.add(mv.version());
            } else {
                models.served(name).versions().keySet().forEach(v -> vs.add(Long.toString(v)));
            }
            o.put("platform", "jumbo");
            tensorMeta(o.putArray("inputs"), INPUT, mv.loaded().inputShape());
            tensorMeta(o.putArray("outputs"), OUTPUT, mv.loaded().outputShape());
            json(res, 200, o);
        } finally {
            models.release(mv);
        }
    }

    private static void tensorMeta(ArrayNode a, String name, int[] shape) {
        ObjectNode t = a.addObject().put("name", name).put("datatype", "FP32");
        ArrayNode s = t.putArray("shape").add(-1);
        for (int d : shape) {
            s.add(d);
        }
    }

    private void modelReady(ServerResponse res, String name, String version) {
        ModelVersion mv = models.acquire(name, version);
        models.release(mv);
        json(res, isReady() ? 200 : 400, obj().put("name", name).put("ready", isReady()));
    }

    private void infer(ServerRequest req, ServerResponse res, String name, String version) throws Exception {
        long t0 = System.nanoTime();
        ModelVersion mv;
        try {
            if (draining) {
                throw ServeException.unavailable("server is shutting down");
            }
            mv = models.acquire(name, version);
        } catch (ServeException e) {
            metrics.failed(models.served(name) != null ? name : "", "", e.reason());
            throw e;
        }
        try {
            byte[] body = body(req);
            int headerLength = req.headers().first(HEADER_LENGTH).map(InferenceServer::headerLength).orElse(-1);
            InferRequest ir = InferCodec.decode(body, headerLength);
            InferRequest.Input in = checkInput(ir, mv.loaded());
            for (InferRequest.Output o : ir.outputs()) {
                if (!o.name().equals(OUTPUT)) {
                    throw ServeException.badRequest("unknown output '" + o.name() + "', the model has outputs [" + OUTPUT + "]");
                }
            }
            boolean binary = ir.outputs().isEmpty() ? ir.binaryDefault() : ir.outputs().getFirst().binary();
            long tc = System.nanoTime();
            float[] out;
            try {
                out = compute(mv, in.values(), in.shape()[0], ir.timeoutMicros());
            } catch (ServeException e) {
                Canary c = canaryFor(name, version);
                if (c != null && e.status() >= 500 && Long.parseLong(mv.version()) == c.challenger) {
                    c.outcome(false, System.nanoTime() - tc);
                }
                throw e;
            }
            mv.drift.record(in.values(), out, in.shape()[0]);
            Canary c = canaryFor(name, version);
            if (c != null) {
                long v = Long.parseLong(mv.version());
                if (v == c.challenger) {
                    c.outcome(true, System.nanoTime() - tc);
                    mirror(c, c.champion, in.values(), in.shape()[0], out, false);
                } else if (v == c.champion && c.shadowing()) {
                    mirror(c, c.challenger, in.values(), in.shape()[0], out, true);
                }
            }
            int[] outShape = new int[mv.loaded().outputShape().length + 1];
            outShape[0] = in.shape()[0];
            System.arraycopy(mv.loaded().outputShape(), 0, outShape, 1, outShape.length - 1);
            InferCodec.Encoded e = InferCodec.encode(name, mv.version(), ir.id(),
                    List.of(new InferCodec.OutputTensor(OUTPUT, outShape, out, binary)));
            send(res, e);
            mv.success.inc();
            mv.requestSeconds.observe((System.nanoTime() - t0) / 1e9);
        } catch (ServeException e) {
            metrics.failed(name, mv.version(), e.reason());
            throw e;
        } finally {
            models.release(mv);
        }
    }

    /** The model's active canary when this request takes part in it (unversioned requests only), else null. */
    private Canary canaryFor(String name, String version) {
        ModelManager.Served s = models.served(name);
        return version != null || s == null || s.canary() == null || !s.canary().active() ? null : s.canary();
    }

    /**
     * Runs the same input on the other side of the canary in the background and records agreement;
     * for shadow traffic the run also counts as a challenger answer. Its output is discarded.
     */
    private void mirror(Canary c, long other, float[] input, int rows, float[] answer, boolean challengerRun) {
        Thread.ofVirtual().name("jumbo-mirror").start(() -> {
            ModelVersion mv;
            try {
                mv = models.acquire(c.model, Long.toString(other));
            } catch (ServeException e) {
                return;
            }
            long t0 = System.nanoTime();
            try {
                float[] out = compute(mv, input, rows, 0);
                if (challengerRun) {
                    c.outcome(true, System.nanoTime() - t0);
                }
                c.compared(Canary.agree(answer, out, rows));
            } catch (ServeException e) {
                if (challengerRun && e.status() >= 500 && e.status() != 503) {
                    c.outcome(false, System.nanoTime() - t0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                models.release(mv);
            }
        });
    }

    /** Queues the rows on the version's batcher and waits for them until the request's deadline. */
    private float[] compute(ModelVersion mv, float[] values, int rows, long timeoutMicros) throws InterruptedException {
        ModelConfig cfg = models.served(mv.name()) != null ? models.served(mv.name()).config() : ModelConfig.defaults();
        long micros = timeoutMicros > 0 ? Math.min(timeoutMicros, cfg.defaultTimeoutMicros()) : cfg.defaultTimeoutMicros();
        long deadline = System.nanoTime() + micros * 1000;
        Batcher.Job job = mv.batcher.submit(values, rows, deadline);
        CompletableFuture<float[]> f = job.result();
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ServeException(503, "deadline_exceeded", "model '" + mv.name() + "': no answer within the "
                    + micros + " µs deadline");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServeException se) {
                throw se;
            }
            throw new ServeException(500, "internal", "inference failed: " + e.getCause(), e.getCause());
        }
    }

    private static InferRequest.Input checkInput(InferRequest ir, ModelLoader.Loaded m) {
        if (ir.inputs().size() != 1) {
            throw ServeException.badRequest(ir.inputs().size() + " inputs given, the model takes 1 ('" + INPUT + "')");
        }
        InferRequest.Input in = ir.inputs().getFirst();
        if (!in.name().equals(INPUT)) {
            throw ServeException.badRequest("unknown input '" + in.name() + "', the model's input is '" + INPUT + "'");
        }
        int[] want = m.inputShape();
        int[] got = in.shape();
        boolean ok = got.length == want.length + 1 && got[0] > 0;
        for (int i = 0; ok && i < want.length; i++) {
            ok = got[i + 1] == want[i];
        }
        if (!ok) {
            StringBuilder sb = new StringBuilder("[-1");
            for (int d : want) {
                sb.append(", ").append(d);
            }
            throw ServeException.badRequest("input '" + INPUT + "': shape " + java.util.Arrays.toString(got)
                    + " does not match the model's input shape " + sb.append(']') + " (batch dimension first, at least 1)");
        }
        return in;
    }

    private void predictPng(ServerRequest req, ServerResponse res) throws Exception {
        String name = req.query().contains("model") ? req.query().get("model") : null;
        if (name == null) {
            List<String> loaded = models.all().stream().map(ModelManager.Served::name).sorted().toList();
            if (loaded.size() != 1) {
                throw ServeException.badRequest("/v1/predict: say which model with ?model=NAME; loaded: " + loaded);
            }
            name = loaded.getFirst();
        }
        String version = req.query().contains("version") ? req.query().get("version") : null;
        ModelVersion mv = models.acquire(name, version);
        try {
            float[] x = PngInput.decode(body(req), mv.loaded().inputShape());
            float[] scores = compute(mv, x, 1, 0);
            mv.drift.record(x, scores, 1);
            int best = 0;
            for (int i = 1; i < scores.length; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            ObjectNode o = obj().put("model_name", name).put("model_version", mv.version()).put("class", best);
            ArrayNode s = o.putArray("scores");
            for (float v : scores) {
                s.add(v);
            }
            mv.success.inc();
            json(res, 200, o);
        } catch (ServeException e) {
            metrics.failed(name, mv.version(), e.reason());
            throw e;
        } finally {
            models.release(mv);
        }
    }

    private void updateDriftGauges() {
        for (ModelManager.Served s : models.all()) {
            for (ModelVersion mv : s.versions().values()) {
                java.util.Map<String, Object> r = mv.drift.report();
                if (!(r.get("psi") instanceof double[] psi)) {
                    continue;
                }
                double[] ks = (double[]) r.get("ks_statistic");
                String[] names = (String[]) r.get("features");
                for (int f = 0; f < psi.length; f++) {
                    String feature = names != null ? names[f] : Integer.toString(f);
                    metrics.driftPsi.labelValues(s.name(), mv.version(), feature).set(psi[f]);
                    metrics.driftKs.labelValues(s.name(), mv.version(), feature).set(ks[f]);
                }
                metrics.driftJs.labelValues(s.name(), mv.version()).set((Double) r.get("prediction_js_divergence"));
                metrics.drifted.labelValues(s.name(), mv.version()).set(Boolean.TRUE.equals(r.get("drifted")) ? 1 : 0);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    private void authorize(ServerRequest req) {
        if (options.token() == null) {
            throw new ServeException(403, "forbidden", "the control API is disabled: start the server with --token-file");
        }
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        byte[] want = ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(want, auth.getBytes(StandardCharsets.UTF_8))) {
            throw new ServeException(401, "unauthorized", "missing or wrong bearer token in the Authorization header");
        }
    }

    private byte[] body(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > options.maxBodyBytes()) {
            throw new ServeException(413, "too_large", "request body of " + declared + " bytes is over the "
                    + options.maxBodyBytes() + "-byte limit");
        }
        if (!req.content().hasEntity()) {
            throw ServeException.badRequest("request body is empty");
        }
        return req.content().as(byte[].class);
    }

    private static int headerLength(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw ServeException.badRequest("Inference-Header-Content-Length '" + s + "' is not an integer");
        }
    }

    private static String param(ServerRequest req, String name) {
        return req.path().pathParameters().get(name);
    }

    private static ObjectNode obj() {
        return InferCodec.JSON.createObjectNode();
    }

    static void json(ServerResponse res, int status, com.fasterxml.jackson.databind.JsonNode body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(ServerResponse res, InferCodec.Encoded e) {
        if (e.jsonLength() >= 0) {
            res.header(HEADER_LENGTH, Integer.toString(e.jsonLength()));
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
        }
        res.send(e.body());
    }

    /** A handler that may throw; {@link #wrap} turns exceptions into JSON error responses. */
    @FunctionalInterface
    interface Endpoint {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    private static io.helidon.webserver.http.Handler wrap(Endpoint e) {
        return (req, res) -> {
            try {
                e.handle(req, res);
            } catch (ServeException ex) {
                error(res, ex.status(), ex.getMessage());
            } catch (io.helidon.http.RequestException ex) {
                error(res, ex.status().code(), ex.getMessage());
            } catch (Exception ex) {
                LOG.error("internal error: {}", ex.toString(), ex);
                error(res, 500, "internal error: " + ex);
            }
        };
    }

    private static void error(ServerResponse res, int status, String message) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (status == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.send(InferCodec.error(message));
    }

    /**
     * Graceful stop: readiness turns false, new inference is refused with 503, started requests
     * finish, every version unloads, then the listener closes.
     */
    @Override
    public void close() {
        draining = true;
        LOG.info("shutting down: not ready, draining in-flight requests");
        models.close();
        server.stop();
        LOG.info("stopped");
    }
}
