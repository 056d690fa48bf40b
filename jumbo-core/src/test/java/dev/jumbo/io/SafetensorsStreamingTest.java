package dev.jumbo.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jumbo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing and reading stream through a small direct buffer: heap allocation is checked (bytes, not
 * time). The throughput printout runs only with {@code -Djumbo.io.perf=true}.
 */
class SafetensorsStreamingTest {

    @TempDir
    Path dir;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static Map<String, Tensor> tensors(int count, int floats) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            float[] d = new float[floats];
            for (int j = 0; j < floats; j++) {
                d[j] = i + j * 1e-3f;
            }
            m.put("layer" + i + ".weight", Tensor.of(d, floats / 256, 256));
        }
        return m;
    }

    @Test
    void writingAndMappingCopyNothingOntoTheHeapAndReadingOnlyTheTensors() throws IOException {
        Map<String, Tensor> in = tensors(8, 1 << 19); // 16 MiB
        long dataBytes = 8L * 4 * (1 << 19);
        Path p = dir.resolve("big.safetensors");
        Safetensors.write(p, in); // warm up: class loading and first-use caches allocate too
        Safetensors.read(p);
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.map(p, arena);
        }
        long before = allocated();
        Safetensors.write(p, in);
        assertThat(allocated() - before).as("heap bytes allocated by write").isLessThan(2L << 20);

        before = allocated();
        SafetensorsFile f = Safetensors.read(p);
        assertThat(allocated() - before).as("heap bytes allocated by read").isBetween(dataBytes, dataBytes + (2L << 20));
        assertThat(f.get("layer7.weight").toFloatArray()).isEqualTo(in.get("layer7.weight").toFloatArray());

        try (Arena arena = Arena.ofConfined()) {
            before = allocated();
            SafetensorsFile m = Safetensors.map(p, arena);
            assertThat(allocated() - before).as("heap bytes allocated by map").isLessThan(1L << 20);
            assertThat(m.get("layer3.weight").get(100, 7)).isEqualTo(in.get("layer3.weight").get(100, 7));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "jumbo.io.perf", matches = "true")
    void printsThroughputFor100MB() throws IOException {
        Map<String, Tensor> in = tensors(25, 1 << 20); // 25 x 4 MiB = 100 MiB
        double mb = 25 * 4.0;
        Path p = dir.resolve("perf.safetensors");
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            Safetensors.write(p, in);
            long t1 = System.nanoTime();
            SafetensorsFile f = Safetensors.read(p);
            long t2 = System.nanoTime();
            double sum = 0;
            try (Arena arena = Arena.ofConfined()) {
                for (Tensor t : Safetensors.map(p, arena).tensors().values()) {
                    sum += t.sum().item(); // touches every mapped page
                }
            }
            long t3 = System.nanoTime();
            try (Arena arena = Arena.ofConfined()) {
                Map<String, Tensor> mapped = Safetensors.map(p, arena).tensors();
                for (String k : in.keySet()) {
                    float[] want = in.get(k).toFloatArray();
                    assertThat(f.get(k).toFloatArray()).isEqualTo(want);
                    assertThat(mapped.get(k).toFloatArray()).isEqualTo(want);
                }
            }
            System.out.printf("safetensors 100 MiB: write+fsync %.0f MB/s, read to heap %.0f MB/s, map+sum %.0f MB/s (%d tensors, sum %.1f)%n",
                    mb / ((t1 - t0) * 1e-9), mb / ((t2 - t1) * 1e-9), mb / ((t3 - t2) * 1e-9), f.names().size(), sum);
        }
    }
}
