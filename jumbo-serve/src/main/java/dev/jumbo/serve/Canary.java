package dev.jumbo.serve;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one model's canary: which share of unversioned traffic the challenger gets (or
 * whether it only shadows the champion), how it has done (answers, errors, recent latencies, argmax
 * agreement with the champion on the same inputs), and whether it was rolled back. Rollback is
 * one-way until the next load of the model.
 *
 * <pre>{@code
 * Canary c = new Canary("m", 1, 2, config.canary(), metrics);
 * boolean toChallenger = c.routeToChallenger();
 * c.outcome(true, nanos);  c.compared(true);   // may roll back
 * }</pre>
 */
public final class Canary {
    private static final Logger LOG = LoggerFactory.getLogger(Canary.class);
    private static final int WINDOW = 1024;

    final String model;
    final long champion;
    final long challenger;
    final ModelConfig.CanaryConfig cfg;
    private final ServeMetrics metrics;
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong comparisons = new AtomicLong();
    private final AtomicLong agreements = new AtomicLong();
    private final long[] latencies = new long[WINDOW];
    private final AtomicLong latencyCount = new AtomicLong();
    private volatile String rolledBack;

    Canary(String model, long champion, long challenger, ModelConfig.CanaryConfig cfg, ServeMetrics metrics) {
        this.model = model;
        this.champion = champion;
        this.challenger = challenger;
        this.cfg = cfg;
        this.metrics = metrics;
    }

    /** Whether this unversioned request goes to the challenger (never in shadow mode or after rollback). */
    boolean routeToChallenger() {
        return rolledBack == null && !cfg.shadow() && ThreadLocalRandom.current().nextDouble() * 100 < cfg.percent();
    }

    /** Whether a champion-served request is mirrored to the challenger. */
    boolean shadowing() {
        return rolledBack == null && cfg.shadow();
    }

    boolean active() {
        return rolledBack == null;
    }

    /** Records one challenger answer (or failure) and its latency; may roll back. */
    void outcome(boolean ok, long nanos) {
        answers.incrementAndGet();
        if (!ok) {
            errors.incrementAndGet();
        }
        long i = latencyCount.getAndIncrement();
        synchronized (latencies) {
            latencies[(int) (i % WINDOW)] = nanos;
        }
        check();
    }

    /** Records whether challenger and champion agreed (same argmax on every row) on one input. */
    void compared(boolean agreed) {
        comparisons.incrementAndGet();
        if (agreed) {
            agreements.incrementAndGet();
        }
        check();
    }

    double errorRate() {
        long n = answers.get();
        return n == 0 ? 0 : (double) errors.get() / n;
    }

    double agreement() {
        long n = comparisons.get();
        return n == 0 ? 1 : (double) agreements.get() / n;
    }

    double p99Millis() {
        int n = (int) Math.min(latencyCount.get(), WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] copy;
        synchronized (latencies) {
            copy = Arrays.copyOf(latencies, n);
        }
        Arrays.sort(copy);
        return copy[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)] / 1e6;
    }

    String rolledBack() {
        return rolledBack;
    }

    private void check() {
        if (rolledBack != null || answers.get() < cfg.minRequests()) {
            return;
        }
        String why = null;
        String reason = null;
        if (errorRate() > cfg.maxErrorRate()) {
            reason = "error_rate";
            why = String.format("error rate %.3f > %.3f", errorRate(), cfg.maxErrorRate());
        } else if (p99Millis() > cfg.maxP99Millis()) {
            reason = "p99_latency";
            why = String.format("p99 latency %.2f ms > %.2f ms", p99Millis(), cfg.maxP99Millis());
        } else if (comparisons.get() >= cfg.minRequests() && agreement() < cfg.minAgreement()) {
            reason = "agreement";
            why = String.format("agreement with champion %.3f < %.3f", agreement(), cfg.minAgreement());
        }
        if (why != null) {
            synchronized (this) {
                if (rolledBack == null) {
                    rolledBack = why;
                    metrics.rollbacks.labelValues(model, reason).inc();
                    LOG.warn("model {}: challenger version {} rolled back after {} answers: {}; champion {} takes all traffic",
                            model, challenger, answers.get(), why, champion);
                }
            }
        }
    }

    /** Whether two outputs of {@code rows} rows have the same argmax in every row. */
    static boolean agree(float[] a, float[] b, int rows) {
        if (a.length != b.length) {
            return false;
        }
        int k = a.length / rows;
        for (int r = 0; r < rows; r++) {
            if (argmax(a, r * k, k) != argmax(b, r * k, k)) {
                return false;
            }
        }
        return true;
    }

    private static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[off + i] > x[off + best]) {
                best = i;
            }
        }
        return best;
    }

    /** The canary's state as a JSON-ready map. */
    java.util.Map<String, Object> status() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("champion", Long.toString(champion));
        m.put("challenger", Long.toString(challenger));
        m.put("percent", cfg.percent());
        m.put("shadow", cfg.shadow());
        m.put("challenger_answers", answers.get());
        m.put("challenger_errors", errors.get());
        m.put("comparisons", comparisons.get());
        m.put("agreement", agreement());
        m.put("p99_ms", p99Millis());
        m.put("rolled_back", rolledBack);
        return m;
    }
}
