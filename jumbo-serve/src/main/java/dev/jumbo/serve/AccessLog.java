package dev.jumbo.serve;

import io.helidon.http.HeaderName;
import io.helidon.http.Method;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when it is sane, else a new one), puts
 * it in the logging MDC as {@code request_id} for every line logged while the request runs, echoes it
 * in the response and writes one access-log line (logger {@code jumbo.access}) with method, path,
 * status and duration as key-value pairs.
 *
 * <p>Per request it costs a counter increment for the id ({@code <random per server>-<sequence>},
 * unique within a server's life, instead of a SecureRandom UUID) and a cached Prometheus series
 * for GET/POST status codes, so a disabled access log leaves almost nothing on the request path.
 */
final class AccessLog implements Filter {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Logger ACCESS = LoggerFactory.getLogger("jumbo.access");
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final ServeMetrics metrics;
    private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "-";
    private final AtomicLong sequence = new AtomicLong();
    /** jumbo_http_requests series for GET (index code) and POST (600 + code), resolved on first use. */
    private final AtomicReferenceArray<CounterDataPoint> series = new AtomicReferenceArray<>(1200);

    AccessLog(ServeMetrics metrics) {
        this.metrics = metrics;
    }

    private CounterDataPoint series(Method method, int status) {
        int slot = status < 0 || status >= 600 ? -1 : method == Method.GET ? status : method == Method.POST ? 600 + status : -1;
        if (slot < 0) {
            return metrics.http.labelValues(method.text(), Integer.toString(status));
        }
        CounterDataPoint c = series.get(slot);
        if (c == null) {
            c = metrics.http.labelValues(method.text(), Integer.toString(status));
            series.set(slot, c);
        }
        return c;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(REQUEST_ID).filter(s -> SANE.matcher(s).matches())
                .orElseGet(() -> idPrefix + Long.toHexString(sequence.incrementAndGet()));
        long t0 = System.nanoTime();
        MDC.put("request_id", id);
        res.header(REQUEST_ID, id);
        try {
            chain.proceed();
        } finally {
            int status = res.status().code();
            Method m = req.prologue().method();
            String method = m.text();
            series(m, status).inc();
            if (ACCESS.isInfoEnabled()) {
                ACCESS.atInfo().addKeyValue("method", method).addKeyValue("path", req.path().rawPath())
                        .addKeyValue("status", status).addKeyValue("duration_us", (System.nanoTime() - t0) / 1000)
                        .addKeyValue("remote", req.remotePeer().host())
                        .log("{} {} {}", method, req.path().rawPath(), status);
            }
            MDC.remove("request_id");
        }
    }
}
