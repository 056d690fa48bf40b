package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in register tiles are exactly what {@link SgemmTileGenerator} writes (no hand edits). */
class SgemmKernelSourceTest {

    @Test
    void checkedInTileMatchesTheGenerator() throws IOException {
        Path file = Path.of("src/main/java/dev/jumbo/kernels/SgemmKernel.java");
        assertThat(Files.readString(file))
                .as("SgemmKernel.java differs from SgemmTileGenerator's output: regenerate it (see SgemmTileGenerator)")
                .isEqualTo(SgemmTileGenerator.source());
    }

    @Test
    void tileFitsTheRegisterFile() {
        // 2 vectors per row: 12 rows need 24 accumulators (32 registers), 4 rows 8 (16 registers, see SgemmKernel).
        assertThat(SgemmKernel.MR).isEqualTo(SgemmKernel.S.length() >= 16 ? 12 : 4);
        assertThat(SgemmKernel.NR).isEqualTo(2 * SgemmKernel.S.length());
    }
}
