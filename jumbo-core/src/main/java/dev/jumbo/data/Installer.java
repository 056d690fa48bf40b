package dev.jumbo.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Runs a dataset's install command through {@code bash -c}, copying its output to a log stream. */
final class Installer {
    private Installer() {}

    static void run(String dataset, String command, PrintStream log) {
        log.println("jumbo: installing " + dataset + ": " + command);
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        int rc;
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            try (InputStream out = p.getInputStream()) {
                out.transferTo(log);
            }
            rc = p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(dataset + ": install command failed to start: " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(dataset + ": interrupted while installing: " + command, e);
        }
        log.flush();
        if (rc != 0) {
            throw new IllegalStateException(dataset + ": install command exited with " + rc + ": " + command);
        }
    }
}
