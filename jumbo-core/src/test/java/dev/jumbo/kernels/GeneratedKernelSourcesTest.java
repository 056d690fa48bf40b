package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in register tiles are exactly what their generators write (no hand edits):
 * {@link SgemmTileGenerator} for {@code SgemmKernel.java}, {@link ConvGemmRowsGenerator} for
 * {@code ConvGemmRows.java}.
 */
class GeneratedKernelSourcesTest {

    @Test
    void sgemmTileMatchesItsGenerator() throws IOException {
        assertGenerated("SgemmKernel.java", SgemmTileGenerator.source(), "SgemmTileGenerator");
    }

    @Test
    void convGemmRowsMatchTheirGenerator() throws IOException {
        assertGenerated("ConvGemmRows.java", ConvGemmRowsGenerator.source(), "ConvGemmRowsGenerator");
    }

    @Test
    void tileFitsTheRegisterFile() {
        // 2 vectors per row: 12 rows need 24 accumulators (32 registers), 4 rows 8 (16 registers, see SgemmKernel).
        assertThat(SgemmKernel.MR).isEqualTo(SgemmKernel.S.length() >= 16 ? 12 : 4);
        assertThat(SgemmKernel.NR).isEqualTo(2 * SgemmKernel.S.length());
        // the 8-row small-channel tile (16 accumulators) only where there are 32 registers
        assertThat(ConvGemmRows.EIGHT_ROWS).isEqualTo(SgemmKernel.S.length() >= 16);
    }

    private static void assertGenerated(String file, String generated, String generator) throws IOException {
        assertThat(Files.readString(Path.of("src/main/java/dev/jumbo/kernels", file)))
                .as(file + " differs from " + generator + "'s output: regenerate it (see " + generator + ")")
                .isEqualTo(generated);
    }
}
