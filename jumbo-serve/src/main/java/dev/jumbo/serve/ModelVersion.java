package dev.jumbo.serve;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded, serving version of a model: the module, its batcher and a count of the requests using
 * it. A request {@link #acquire()}s the version before it starts and {@link #release()}s it when
 * answered, so {@link #retire()} (after a swap or unload) lets every started request finish on this
 * version before the batcher stops.
 */
public final class ModelVersion {
    final String name;
    final String version;
    final ModelLoader.Loaded loaded;
    final Batcher batcher;
    final String fingerprint;
    final DriftMonitor drift;
    /** This version's series of {@link ServeMetrics#success} and {@link ServeMetrics#requestSeconds}, resolved once. */
    final CounterDataPoint success;
    final DistributionDataPoint requestSeconds;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    ModelVersion(String name, String version, ModelLoader.Loaded loaded, Batcher batcher, String fingerprint,
            int driftWindow, ServeMetrics metrics) {
        this.success = metrics.success.labelValues(name, version);
        this.requestSeconds = metrics.requestSeconds.labelValues(name, version);
        this.drift = new DriftMonitor(loaded.inputSize(), ModelLoader.numel(loaded.outputShape()), driftWindow);
        this.name = name;
        this.version = version;
        this.loaded = loaded;
        this.batcher = batcher;
        this.fingerprint = fingerprint;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public ModelLoader.Loaded loaded() {
        return loaded;
    }

    /** Registers a request on this version; false once it is retiring (the caller looks again). */
    boolean acquire() {
        inFlight.incrementAndGet();
        if (closing) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Refuses new requests, waits (up to {@code timeoutMillis}) for started ones, then stops the batcher. */
    void retire(long timeoutMillis) {
        closing = true;
        long until = System.currentTimeMillis() + timeoutMillis;
        while (inFlight.get() > 0 && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        batcher.close();
    }
}
