package dev.jumbo.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a kernel generator's source goes: the file named by its one argument, else stdout. */
final class GeneratedSource {
    private GeneratedSource() {}

    static void emit(String[] args, String source) throws IOException {
        if (args.length == 1) {
            Files.writeString(Path.of(args[0]), source, StandardCharsets.UTF_8);
        } else {
            System.out.print(source);
        }
    }
}
