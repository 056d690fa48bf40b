package dev.jumbo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits for the machine to go quiet before a timed section, reading the aggregate CPU line of
 * {@code /proc/stat}: other processes on a 2-core machine can slow either side of a comparison 10×.
 *
 * <pre>{@code
 * boolean idle = IdleWait.await(0.15, 30); // false if still busy after 30 s
 * }</pre>
 */
final class IdleWait {
    private IdleWait() {}

    /**
     * Samples CPU use over 250 ms windows until the busy fraction of all cores is at most
     * {@code maxBusy}, or {@code timeoutSeconds} pass. Returns whether it became idle; also true
     * when {@code /proc/stat} cannot be read (not Linux), since there is nothing to wait on.
     */
    static boolean await(double maxBusy, double timeoutSeconds) {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        long[] prev = sample();
        if (prev == null) {
            return true;
        }
        while (true) {
            sleep(250);
            long[] now = sample();
            if (now == null) {
                return true;
            }
            long total = now[0] - prev[0];
            long idle = now[1] - prev[1];
            double busy = total <= 0 ? 0 : 1.0 - (double) idle / total;
            if (busy <= maxBusy) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            prev = now;
        }
    }

    /** {total jiffies, idle+iowait jiffies} of the "cpu" line, or null when unavailable. */
    private static long[] sample() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
