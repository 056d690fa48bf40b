package dev.jumbo.serve;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when it is sane, else a new one), puts
 * it in the logging MDC as {@code request_id} for every line logged while the request runs, echoes it
 * in the response and writes one access-log line (logger {@code jumbo.access}) with method, path,
 * status and duration as key-value pairs.
 */
final class AccessLog implements Filter {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Logger ACCESS = LoggerFactory.getLogger("jumbo.access");
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final ServeMetrics metrics;

    AccessLog(ServeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(REQUEST_ID).filter(s -> SANE.matcher(s).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        long t0 = System.nanoTime();
        MDC.put("request_id", id);
        res.header(REQUEST_ID, id);
        try {
            chain.proceed();
        } finally {
            int status = res.status().code();
            String method = req.prologue().method().text();
            metrics.http.labelValues(method, Integer.toString(status)).inc();
            ACCESS.atInfo().addKeyValue("method", method).addKeyValue("path", req.path().rawPath())
                    .addKeyValue("status", status).addKeyValue("duration_us", (System.nanoTime() - t0) / 1000)
                    .addKeyValue("remote", req.remotePeer().host())
                    .log("{} {} {}", method, req.path().rawPath(), status);
            MDC.remove("request_id");
        }
    }
}
