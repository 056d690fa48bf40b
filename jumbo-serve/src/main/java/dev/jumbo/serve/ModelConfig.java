package dev.jumbo.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model's optional {@code models/<name>/serve.json}, with Triton's field names where Triton has them.
 *
 * <pre>{@code
 * {"max_batch_size": 32,
 *  "dynamic_batching": {"max_queue_delay_microseconds": 500, "max_queue_size": 256,
 *                       "default_timeout_microseconds": 5000000},
 *  "version_policy": {"latest": {"num_versions": 1}},      // or {"all": {}} or {"specific": {"versions": [1, 3]}}
 *  "input_shape": [1, 28, 28],                              // optional, overrides the spec's
 *  "drift_window": 1000,                                     // reference = first N examples, compared with the last N
 *  "gate": {"data": "fashion-mnist", "limit": 1000, "max_accuracy_drop": 0.01,  // a new version must pass
 *           "min_agreement": 0.0, "max_latency_ratio": 3.0},                   // against the one it replaces
 *  "aliases": {"champion": 1, "challenger": 2},             // MLflow-style names usable as versions
 *  "canary": {"percent": 10, "shadow": false,
 *             "rollback": {"min_requests": 50, "max_error_rate": 0.05, "max_p99_ms": 100, "min_agreement": 0.9}}}
 * }</pre>
 *
 * {@code max_batch_size} 1 (or {@code max_queue_delay_microseconds} 0 with nothing waiting) means
 * requests run one at a time.
 *
 * @param policy       "latest", "all" or "specific"
 * @param numVersions  how many of the newest versions "latest" serves
 * @param versions     the versions "specific" serves
 */
public record ModelConfig(int maxBatchSize, long maxQueueDelayMicros, int maxQueueSize, long defaultTimeoutMicros,
        String policy, int numVersions, List<Long> versions, int[] inputShape, Map<String, Long> aliases,
        CanaryConfig canary, int driftWindow, String gateData, RegressionGate.Thresholds gate) {

    /**
     * Canary settings: {@code percent} of unversioned traffic goes to the {@code challenger} alias
     * (or, with {@code shadow}, all of it is mirrored there and the answers discarded); the candidate
     * is rolled back (all traffic to {@code champion}) once, after {@code minRequests} of its answers,
     * its error rate, p99 latency or argmax agreement with the champion crosses a threshold.
     */
    public record CanaryConfig(double percent, boolean shadow, int minRequests, double maxErrorRate, double maxP99Millis,
            double minAgreement) {}

    public static final String FILE = "serve.json";

    /** Defaults: batches of up to 8, 500 µs delay, 128 queued requests, 5 s deadline, the latest version. */
    public static ModelConfig defaults() {
        return new ModelConfig(8, 500, 128, 5_000_000, "latest", 1, List.of(), null, Map.of(), null, 1000, null, null);
    }

    /** A copy with other batching settings. */
    public ModelConfig withBatching(int maxBatch, long delayMicros, int queueSize, long timeoutMicros) {
        return new ModelConfig(maxBatch, delayMicros, queueSize, timeoutMicros, policy, numVersions, versions, inputShape,
                aliases, canary, driftWindow, gateData, gate);
    }

    /** Reads {@code modelDir/serve.json}, or the defaults when there is none. Errors name the file and field. */
    public static ModelConfig read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return defaults();
        }
        JsonNode root;
        try {
            root = InferCodec.JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        check(root, file, "", Set.of("max_batch_size", "dynamic_batching", "version_policy", "input_shape", "aliases",
                "canary", "drift_window", "gate"));
        ModelConfig d = defaults();
        int maxBatch = positiveInt(root, "max_batch_size", d.maxBatchSize, file);
        JsonNode db = root.path("dynamic_batching");
        if (!db.isMissingNode()) {
            check(db, file, "dynamic_batching.", Set.of("max_queue_delay_microseconds", "max_queue_size",
                    "default_timeout_microseconds"));
        }
        long delay = nonNegative(db, "max_queue_delay_microseconds", d.maxQueueDelayMicros, file);
        int queue = positiveInt(db, "max_queue_size", d.maxQueueSize, file);
        long timeout = nonNegative(db, "default_timeout_microseconds", d.defaultTimeoutMicros, file);
        String policy = "latest";
        int num = 1;
        List<Long> versions = List.of();
        JsonNode vp = root.path("version_policy");
        if (!vp.isMissingNode()) {
            if (!vp.isObject() || vp.size() != 1) {
                throw new IllegalArgumentException(file + ": version_policy: expected one of {\"latest\": "
                        + "{\"num_versions\": n}}, {\"all\": {}}, {\"specific\": {\"versions\": [...]}}");
            }
            policy = vp.fieldNames().next();
            switch (policy) {
                case "latest" -> num = positiveInt(vp.get("latest"), "num_versions", 1, file);
                case "all" -> { }
                case "specific" -> {
                    versions = new ArrayList<>();
                    for (JsonNode v : vp.path("specific").path("versions")) {
                        if (!v.canConvertToLong() || v.asLong() < 0) {
                            throw new IllegalArgumentException(file + ": version_policy.specific.versions: " + v
                                    + " is not a version number");
                        }
                        versions.add(v.asLong());
                    }
                    if (versions.isEmpty()) {
                        throw new IllegalArgumentException(file + ": version_policy.specific.versions: expected a non-empty list");
                    }
                }
                default -> throw new IllegalArgumentException(file + ": version_policy: unknown policy '" + policy
                        + "', expected latest, all or specific");
            }
        }
        int[] shape = null;
        if (root.has("input_shape")) {
            JsonNode s = root.get("input_shape");
            shape = new int[s.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!s.get(i).canConvertToInt() || s.get(i).asInt() <= 0) {
                    throw new IllegalArgumentException(file + ": input_shape: " + s + ": expected positive integers");
                }
                shape[i] = s.get(i).asInt();
            }
        }
        Map<String, Long> aliases = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("aliases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[A-Za-z][A-Za-z0-9_-]*") || !e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                throw new IllegalArgumentException(file + ": aliases." + e.getKey() + ": " + e.getValue()
                        + ": expected a name starting with a letter mapped to a version number");
            }
            aliases.put(e.getKey(), e.getValue().asLong());
        }
        CanaryConfig canary = null;
        JsonNode c = root.path("canary");
        if (!c.isMissingNode()) {
            check(c, file, "canary.", Set.of("percent", "shadow", "rollback"));
            if (!aliases.containsKey("champion") || !aliases.containsKey("challenger")) {
                throw new IllegalArgumentException(file + ": canary needs aliases \"champion\" and \"challenger\"");
            }
            JsonNode rb = c.path("rollback");
            if (!rb.isMissingNode()) {
                check(rb, file, "canary.rollback.", Set.of("min_requests", "max_error_rate", "max_p99_ms", "min_agreement"));
            }
            double percent = c.path("percent").asDouble(10);
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException(file + ": canary.percent: " + percent + ": expected 0..100");
            }
            canary = new CanaryConfig(percent, c.path("shadow").asBoolean(false), rb.path("min_requests").asInt(50),
                    rb.path("max_error_rate").asDouble(1), rb.path("max_p99_ms").asDouble(Double.MAX_VALUE),
                    rb.path("min_agreement").asDouble(0));
        }
        String gateData = null;
        RegressionGate.Thresholds gate = null;
        JsonNode g = root.path("gate");
        if (!g.isMissingNode()) {
            check(g, file, "gate.", Set.of("data", "limit", "max_accuracy_drop", "min_agreement", "max_latency_ratio"));
            RegressionGate.Thresholds t = RegressionGate.Thresholds.defaults();
            gateData = g.path("data").asText("fashion-mnist");
            gate = new RegressionGate.Thresholds(g.path("max_accuracy_drop").asDouble(t.maxAccuracyDrop()),
                    g.path("min_agreement").asDouble(t.minAgreement()), g.path("max_latency_ratio").asDouble(t.maxLatencyRatio()),
                    positiveInt(g, "limit", t.limit(), file));
        }
        return new ModelConfig(maxBatch, delay, queue, timeout, policy, num, List.copyOf(versions), shape,
                Map.copyOf(aliases), canary, positiveInt(root, "drift_window", d.driftWindow, file), gateData, gate);
    }

    /** The versions to serve out of {@code available} (sorted ascending), per the policy. */
    public List<Long> select(List<Long> available) {
        return switch (policy) {
            case "all" -> available;
            case "specific" -> available.stream().filter(versions::contains).toList();
            default -> available.subList(Math.max(0, available.size() - numVersions), available.size());
        };
    }

    private static void check(JsonNode n, Path file, String prefix, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException(file + ": unknown field '" + prefix + f + "', expected one of "
                        + new TreeSet<>(known));
            }
        }
    }

    private static int positiveInt(JsonNode n, String field, int dflt, Path file) {
        if (n == null || !n.has(field)) {
            return dflt;
        }
        JsonNode v = n.get(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new IllegalArgumentException(file + ": " + field + ": " + v + ": expected a positive integer");
        }
        return v.asInt();
    }

    private static long nonNegative(JsonNode n, String field, long dflt, Path file) {
        if (n == null || !n.has(field)) {
            return dflt;
        }
        JsonNode v = n.get(field);
        if (!v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(file + ": " + field + ": " + v + ": expected a non-negative integer");
        }
        return v.asLong();
    }
}
