package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A storage that is not a heap array must work with the ops unchanged (the storage design's promise). */
class SegmentStorageTest {

    @TempDir
    Path dir;

    private Path floatsFile(int header, float... values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(header + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.position(header);
        for (float v : values) {
            b.putFloat(v);
        }
        Path p = dir.resolve("weights.bin");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void memoryMappedWeightsWorkWithViewsAndOps() throws IOException {
        Path p = floatsFile(8, 1, 2, 3, 4, 5, 6);
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = Tensor.wrap(SegmentStorage.map(arena, p, 8, 6), 2, 3);
            assertThat(w.get(1, 2)).isEqualTo(6f);
            assertThat(w.t().toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
            Tensor x = Tensor.of(new float[] {1, 0, -1}, 1, 3);
            assertThat(x.matmul(w.t()).toFloatArray()).containsExactly(-2, -2);
            assertThat(w.add(1f).sum().item()).isEqualTo(27f);
            assertThat(w.relu().max().item()).isEqualTo(6f);
            assertThat(Tensor.concat(0, w, Tensor.zeros(1, 3)).shape()).containsExactly(3, 3);
        }
    }

    @Test
    void mappingPastTheEndOfTheFileNamesBothSizes() throws IOException {
        Path p = floatsFile(0, 1, 2);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> SegmentStorage.map(arena, p, 4, 2))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("8 bytes, expected at least 12");
        }
    }
}
