package dev.jumbo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.kernels.Parallel;
import dev.jumbo.kernels.Sgemm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * SGEMM throughput of Jumbo against OpenBLAS (through JavaCPP) in one JVM, on the same matrices.
 *
 * <p>For each size and thread count: both results are checked against each other, then
 * {@code --pairs} interleaved timings (Jumbo, OpenBLAS, Jumbo, ...) are taken, each after waiting
 * for an idle machine and each repeated until it lasts {@code --min-time} seconds. The table shows
 * median GFLOP/s of each and their ratio (Jumbo / OpenBLAS; above 1 means Jumbo is faster), plus
 * the median of the per-pair ratios, which is steadier when other processes load the machine.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -jar jumbo-bench/target/jumbo-bench.jar gemm --sizes 512,1024 --json
 * </pre>
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "SGEMM GFLOP/s of Jumbo vs OpenBLAS (square, A·B, row-major), interleaved.")
public final class GemmBench implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", description = "Matrix sizes n (n×n·n×n). Default: ${DEFAULT-VALUE}.")
    int[] sizes = {256, 512, 1024, 2048};

    @Option(names = "--threads", split = ",", description = "Thread counts. Default: ${DEFAULT-VALUE}.")
    int[] threads = {1, 2};

    @Option(names = "--pairs", description = "Interleaved Jumbo/OpenBLAS timing pairs. Default: ${DEFAULT-VALUE}.")
    int pairs = 5;

    @Option(names = "--min-time", description = "Seconds each timed section lasts at least. Default: ${DEFAULT-VALUE}.")
    double minTime = 0.3;

    @Option(names = "--idle-wait", description = "Seconds to wait for an idle machine before each timed section. Default: ${DEFAULT-VALUE}.")
    double idleWait = 20;

    @Option(names = "--idle-busy", description = "CPU busy fraction counted as idle. Default: ${DEFAULT-VALUE}.")
    double idleBusy = 0.15;

    @Option(names = "--json", description = "Print the results as a JSON array on the last stdout line.")
    boolean json;

    @Option(names = "--openblas-core", description = "OpenBLAS kernel: best (AVX-512 where the CPU has it, overriding "
            + "OPENBLAS_CORETYPE), env (OPENBLAS_CORETYPE or OpenBLAS's detection), or a core name such as Haswell. "
            + "Default: ${DEFAULT-VALUE}.")
    String openblasCore = "best";

    private PairedTimer timer;

    @Override
    public Integer call() throws Exception {
        for (int n : sizes) {
            if (n < 1) {
                System.err.println("gemm: --sizes has " + n + ", expected positive sizes");
                return 2;
            }
        }
        for (int t : threads) {
            if (t < 1) {
                System.err.println("gemm: --threads has " + t + ", expected positive thread counts");
                return 2;
            }
        }
        timer = new PairedTimer(minTime, idleBusy, idleWait);
        System.err.println("gemm: OpenBLAS core: " + OpenBlasCore.choose(openblasCore));
        warmUp();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int t : threads) {
            for (int n : sizes) {
                rows.add(measure(n, t));
            }
        }
        System.out.printf("%6s %8s %14s %16s %7s %11s%n", "n", "threads", "jumbo GFLOP/s", "openblas GFLOP/s",
                "ratio", "pair ratio");
        for (Map<String, Object> r : rows) {
            System.out.printf("%6d %8d %14.1f %16.1f %7.3f %11.3f%n", r.get("n"), r.get("threads"),
                    (double) r.get("jumbo_gflops"), (double) r.get("openblas_gflops"), (double) r.get("ratio"),
                    (double) r.get("pair_ratio_median"));
        }
        if (timer.busySections() > 0) {
            System.err.println("gemm: the machine never became idle before " + timer.busySections()
                    + " timed section(s) (waited " + idleWait + " s each); those numbers are noisy");
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(rows));
        }
        return 0;
    }

    /** About 2 s on a small size, both sides, so neither is measured in interpreter or C1 code. */
    private void warmUp() {
        System.err.println("gemm: warming up");
        Problem p = new Problem(256);
        try {
            for (int t : new int[] {1, 2}) {
                Parallel.setThreads(t);
                openblas.blas_set_num_threads(t);
                PairedTimer.warmUp(p.jumboSide, 0.5);
                PairedTimer.warmUp(p.blasSide, 0.5);
            }
        } finally {
            p.close();
        }
        // One deep product (k above Jumbo's depth block) so the sizes above 512 meet no untaken
        // branch, which would send C2 back to the interpreter in the middle of a timed section.
        int m = 96;
        int k = 1100;
        float[] a = new float[m * k];
        float[] b = new float[k * m];
        float[] c = new float[m * m];
        PairedTimer.warmUp(() -> Sgemm.sgemm(false, false, m, m, k, 1f, a, 0, k, b, 0, m, 0f, c, 0, m), 0.3);
    }

    private Map<String, Object> measure(int n, int t) {
        Parallel.setThreads(t);
        openblas.blas_set_num_threads(t);
        Problem p = new Problem(n);
        try {
            p.verify();
            double gflop = 2.0 * n * n * n / 1e9;
            PairedTimer.Result r = timer.measure(p.jumboSide, p.blasSide, pairs, (i, j, o, jc, oc) ->
                    System.err.printf("gemm: n=%d threads=%d pair %d: jumbo %.1f, openblas %.1f GFLOP/s%n",
                            n, t, i + 1, j * gflop, o * gflop));
            double mj = r.jumboPerSecond() * gflop;
            double mo = r.peerPerSecond() * gflop;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("n", n);
            row.put("threads", t);
            row.put("jumbo_gflops", round(mj));
            row.put("openblas_gflops", round(mo));
            row.put("ratio", Math.round(mj / mo * 1000) / 1000.0);
            // Each pair ran back to back, so its ratio shares the machine's state at that moment.
            row.put("pair_ratio_median", Math.round(r.pairRatio() * 1000) / 1000.0);
            return row;
        } finally {
            p.close();
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The same random n×n matrices on the Java heap (Jumbo) and in native memory (OpenBLAS). */
    private static final class Problem implements AutoCloseable {
        final int n;
        final float[] a;
        final float[] b;
        final float[] c;
        final FloatPointer na;
        final FloatPointer nb;
        final FloatPointer nc;
        final PairedTimer.Side jumboSide;
        final PairedTimer.Side blasSide;

        Problem(int n) {
            this.n = n;
            SplittableRandom rnd = new SplittableRandom(n);
            a = new float[n * n];
            b = new float[n * n];
            c = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rnd.nextDouble() * 2 - 1);
                b[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            na = new FloatPointer(a);
            nb = new FloatPointer(b);
            nc = new FloatPointer((long) n * n);
            jumboSide = () -> Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            blasSide = () -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans,
                    openblas.CblasNoTrans, n, n, n, 1f, na, n, nb, n, 0f, nc, n);
        }

        /** Both results must agree (relative to the largest element) before anything is timed. */
        void verify() {
            jumboSide.run();
            blasSide.run();
            float[] o = new float[n * n];
            nc.get(o);
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < o.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(o[i] - c[i]));
                maxAbs = Math.max(maxAbs, Math.abs(o[i]));
            }
            if (!(maxDiff <= 1e-5 * Math.sqrt(n) * Math.max(1, maxAbs))) {
                throw new IllegalStateException("gemm: n=" + n + ": Jumbo and OpenBLAS differ by " + maxDiff
                        + " (largest element " + maxAbs + "), expected agreement to float32 rounding");
            }
        }

        @Override
        public void close() {
            na.close();
            nb.close();
            nc.close();
        }
    }
}
