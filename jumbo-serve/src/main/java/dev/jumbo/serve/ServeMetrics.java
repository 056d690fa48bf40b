package dev.jumbo.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's Prometheus metrics, one registry per server (so tests and embedded servers do not
 * share series), exposed in the text format on {@code GET /metrics}. Series are per model and
 * version; failures are counted by reason ({@code queue_full}, {@code deadline_exceeded},
 * {@code bad_request}, {@code not_found}, {@code unavailable}, {@code too_large}, {@code internal}).
 * JVM memory, GC, threads and process CPU come from the client's JVM instrumentation.
 */
public final class ServeMetrics {
    /** Latency buckets in seconds: 50 µs to 10 s. */
    private static final double[] LATENCY = {50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3,
        50e-3, 100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10};
    private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter success;
    final Counter failure;
    final Histogram requestSeconds;
    final Histogram queueSeconds;
    final Histogram computeSeconds;
    final Histogram batchSize;
    final Gauge queueDepth;
    final Counter loads;
    final Counter http;
    final Counter rollbacks;
    final Gauge driftPsi;
    final Gauge driftKs;
    final Gauge driftJs;
    final Gauge drifted;

    public ServeMetrics() {
        success = Counter.builder().name("jumbo_inference_request_success")
                .help("Inference requests answered with 200").labelNames("model", "version").register(registry);
        failure = Counter.builder().name("jumbo_inference_request_failure")
                .help("Inference requests that failed, by reason").labelNames("model", "version", "reason")
                .register(registry);
        requestSeconds = latency("jumbo_inference_request_duration_seconds",
                "End-to-end infer handling time, parse to response");
        queueSeconds = latency("jumbo_inference_queue_duration_seconds", "Time a request waited for its batch");
        computeSeconds = latency("jumbo_inference_compute_duration_seconds", "Model forward time of a batch");
        batchSize = Histogram.builder().name("jumbo_inference_batch_size").help("Examples per executed batch")
                .classicUpperBounds(BATCH).classicOnly().labelNames("model", "version").register(registry);
        queueDepth = Gauge.builder().name("jumbo_inference_queue_depth").help("Requests waiting in the batch queue")
                .labelNames("model", "version").register(registry);
        loads = Counter.builder().name("jumbo_model_load").help("Model load attempts by outcome")
                .labelNames("model", "outcome").register(registry);
        http = Counter.builder().name("jumbo_http_requests").help("HTTP requests by method and status code")
                .labelNames("method", "code").register(registry);
        rollbacks = Counter.builder().name("jumbo_canary_rollbacks").help("Challenger rollbacks by the threshold crossed")
                .labelNames("model", "reason").register(registry);
        driftPsi = Gauge.builder().name("jumbo_drift_psi").help("Population stability index of an input feature vs the reference window")
                .labelNames("model", "version", "feature").register(registry);
        driftKs = Gauge.builder().name("jumbo_drift_ks_statistic").help("Two-sample KS statistic of an input feature vs the reference window")
                .labelNames("model", "version", "feature").register(registry);
        driftJs = Gauge.builder().name("jumbo_drift_prediction_js_divergence")
                .help("Jensen-Shannon divergence (bits) of predicted classes vs the reference window")
                .labelNames("model", "version").register(registry);
        drifted = Gauge.builder().name("jumbo_drift_detected").help("1 when some input feature's PSI is over 0.1")
                .labelNames("model", "version").register(registry);
        JvmMetrics.builder().register(registry);
    }

    private Histogram latency(String name, String help) {
        return Histogram.builder().name(name).help(help).unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
                .classicUpperBounds(LATENCY).classicOnly().labelNames("model", "version").register(registry);
    }

    /** Counts a failed inference request. */
    public void failed(String model, String version, String reason) {
        failure.labelValues(model, version, reason).inc();
    }

    /** The Prometheus text exposition (format 0.0.4) of every series. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.create().getContentType();
    }
}
