package dev.jumbo.cli;

import dev.jumbo.kernels.Sgemm;
import java.util.SplittableRandom;

/**
 * A short SGEMM throughput probe: multiplies two random n×n matrices with {@link Sgemm} for about
 * the given time (after one warm-up call) and reports GFLOP/s (2·n³ FLOPs per call).
 */
public final class GemmProbe {

    /** What one probe measured. */
    public record Result(int n, int calls, double seconds, double gflops) {}

    private GemmProbe() {}

    public static Result run(int n, double seconds) {
        if (n < 1) {
            throw new IllegalArgumentException("gemm probe: size " + n + ", expected >= 1");
        }
        SplittableRandom rnd = new SplittableRandom(1);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble();
            b[i] = (float) rnd.nextDouble();
        }
        Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); // warm-up
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long elapsed;
        int calls = 0;
        do {
            Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        double secs = elapsed / 1e9;
        double gflops = 2.0 * n * n * (double) n * calls / secs / 1e9;
        return new Result(n, calls, secs, gflops);
    }
}
