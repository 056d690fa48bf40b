package dev.jumbo.estimate;

import dev.jumbo.kernels.Parallel;
import dev.jumbo.kernels.Sgemm;
import java.util.Map;

/**
 * Measures this machine as a {@link HardwareProfile}: SGEMM GFLOP/s with Jumbo's own
 * {@link Sgemm} (0.4 s of warm-up on 128×128 products, then n = 512 for 0.4 s) and memory bandwidth with a STREAM-style
 * triad {@code a[i] = b[i] + s·c[i]} over three 32 MiB float arrays (12 bytes per element, no
 * write-allocate counted) split over the {@link Parallel} pool. The engine computes in fp32, so
 * every dtype gets the measured SGEMM rate; memory is the JVM's maximum heap. Runs once per JVM.
 */
public final class LocalProbe {

    private static HardwareProfile cached;

    private LocalProbe() {}

    public static synchronized HardwareProfile profile() {
        if (cached == null) {
            double flops = gemmFlops(512, 0.4);
            double bw = triadBandwidth(8 << 20, 0.3);
            cached = new HardwareProfile("local", "this machine (" + Parallel.threads() + " threads, JVM heap)",
                    Runtime.getRuntime().maxMemory(), bw,
                    Map.of("fp32", flops, "tf32", flops, "bf16", flops, "fp16", flops, "int8", flops),
                    1, "measured: Sgemm n=512 and a triad over 3 x 32 MiB, " + Parallel.threads() + " threads");
        }
        return cached;
    }

    /** FLOP/s of n×n SGEMM for about {@code seconds}, after as long a warm-up on 128×128 products. */
    static double gemmFlops(int n, double seconds) {
        // Warm up on small products (DESIGN.md lesson 5): many quick calls get the Vector-API kernels
        // compiled by C2; a cold, interpreted 512^3 product reads hundreds of times slow.
        int w = Math.min(n, 128);
        float[][] small = operands(w);
        long warm = System.nanoTime();
        do {
            Sgemm.sgemm(false, false, w, w, w, 1f, small[0], 0, w, small[1], 0, w, 0f, small[2], 0, w);
        } while (System.nanoTime() - warm < seconds * 1e9);
        float[][] m = operands(n);
        Sgemm.sgemm(false, false, n, n, n, 1f, m[0], 0, n, m[1], 0, n, 0f, m[2], 0, n);
        int calls = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            Sgemm.sgemm(false, false, n, n, n, 1f, m[0], 0, n, m[1], 0, n, 0f, m[2], 0, n);
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < seconds * 1e9);
        return 2.0 * n * n * n * calls / (elapsed / 1e9);
    }

    private static float[][] operands(int n) {
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.25f;
            b[i] = (i % 5) * 0.5f;
        }
        return new float[][] {a, b, new float[n * n]};
    }

    /** Bytes/s of the triad over {@code n}-element arrays for about {@code seconds}. */
    static double triadBandwidth(int n, double seconds) {
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        java.util.Arrays.fill(b, 1f);
        java.util.Arrays.fill(c, 2f);
        long warm = System.nanoTime();
        do {
            triad(a, b, c, n); // warm-up: compiles the loop, touches every page
        } while (System.nanoTime() - warm < seconds * 1e9 / 2);
        int passes = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            triad(a, b, c, n);
            passes++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < seconds * 1e9);
        return 12.0 * n * passes / (elapsed / 1e9);
    }

    private static void triad(float[] a, float[] b, float[] c, int n) {
        Parallel.forRange(0, n, 1 << 16, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                a[i] = b[i] + 3f * c[i];
            }
        });
    }
}
