package dev.jumbo.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a dataset's install command through {@code bash -c}, copying its output to a log stream. */
final class Installer {
    private Installer() {}

    static void run(String dataset, String command, PrintWriter log) {
        log.println("jumbo: installing " + dataset + ": " + command);
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        int rc;
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    log.println(line);
                    log.flush();
                }
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
