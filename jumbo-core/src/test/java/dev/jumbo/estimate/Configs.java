package dev.jumbo.estimate;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shipped example configs (tests run in jumbo-core/, the configs live in examples/configs/). */
final class Configs {
    private Configs() {}

    static Path path(String name) {
        Path p = Path.of("..", "examples", "configs", name + ".json");
        if (!Files.isRegularFile(p)) {
            p = Path.of("examples", "configs", name + ".json");
        }
        return p;
    }

    static LlmConfig read(String name) {
        return LlmConfig.read(path(name));
    }
}
