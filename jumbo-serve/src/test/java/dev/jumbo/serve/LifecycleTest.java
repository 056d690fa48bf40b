package dev.jumbo.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Repeated load/unload does not leak; access-log lines carry the request id. */
class LifecycleTest {
    @TempDir
    Path repo;

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void hundredLoadUnloadCyclesKeepTheHeapFlat() throws Exception {
        TestRepo.write(repo, "lenet", 1, TestRepo.lenet(1));
        try (InferenceServer server = TestRepo.start(repo, null)) {
            ModelManager mm = server.models();
            mm.unload("lenet");
            mm.load("lenet");
            mm.unload("lenet");
            long before = usedAfterGc();
            for (int i = 0; i < 100; i++) {
                mm.load("lenet");
                mm.unload("lenet");
            }
            long growth = usedAfterGc() - before;
            assertThat(growth).as("heap growth after 100 load/unload cycles, bytes").isLessThan(50L << 20);
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jumbo-batcher")))
                    .as("batcher threads left").isEmpty();
        }
    }

    @Test
    void accessLogCarriesTheRequestId() throws Exception {
        TestRepo.write(repo, "mlp", 1, TestRepo.mlp(1));
        Logger access = (Logger) LoggerFactory.getLogger("jumbo.access");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        access.addAppender(events);
        try (InferenceServer server = TestRepo.start(repo, null)) {
            TestRepo.Reply r = TestRepo.send(HttpRequest.newBuilder(TestRepo.uri(server, "/v2/models/mlp/infer"))
                    .header("X-Request-Id", "req-abc-1").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"))
                    .build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Request-Id")).hasValue("req-abc-1");
            TestRepo.get(server, "/v2/health/live");
        } finally {
            access.detachAppender(events);
        }
        ILoggingEvent line = events.list.stream().filter(e -> e.getFormattedMessage().contains("/infer")).findFirst().orElseThrow();
        assertThat(line.getMDCPropertyMap()).containsEntry("request_id", "req-abc-1");
        assertThat(line.getKeyValuePairs().toString()).contains("status=\"200\"").contains("duration_us");
        assertThat(events.list).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey("request_id"));
    }
}
