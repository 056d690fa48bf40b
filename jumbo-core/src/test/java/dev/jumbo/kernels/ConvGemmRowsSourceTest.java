package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in tiles of {@link ConvGemm#smallTimesPanel} are exactly what {@link ConvGemmRowsGenerator} writes. */
class ConvGemmRowsSourceTest {

    @Test
    void checkedInTilesMatchTheGenerator() throws IOException {
        Path file = Path.of("src/main/java/dev/jumbo/kernels/ConvGemmRows.java");
        assertThat(Files.readString(file))
                .as("ConvGemmRows.java differs from ConvGemmRowsGenerator's output: regenerate it (see ConvGemmRowsGenerator)")
                .isEqualTo(ConvGemmRowsGenerator.source());
    }
}
