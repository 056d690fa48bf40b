package dev.jumbo.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Times Jumbo against a peer the way every benchmark here must: warm both up, size each timed
 * section to last at least {@code minTime}, wait for an idle machine before each section, then run
 * interleaved pairs (Jumbo, peer, Jumbo, peer, ...) and report medians. The median of the per-pair
 * ratios is the steadier figure on a shared machine, since both halves of a pair ran back to back.
 *
 * <pre>{@code
 * PairedTimer timer = new PairedTimer(0.3, 0.15, 10);
 * timer.warmUp(jumbo, 1.0);
 * timer.warmUp(peer, 1.0);
 * PairedTimer.Result r = timer.measure(jumbo, peer, 5, PairedTimer.QUIET);
 * System.out.println(r.jumboPerSecond() + " vs " + r.peerPerSecond());
 * }</pre>
 */
final class PairedTimer {

    /** One side of a comparison: one run of the measured work. */
    interface Side {
        void run();
    }

    /** Told each finished pair: runs per wall-clock second and per process CPU-second of each side. */
    interface PairObserver {
        void pair(int index, double jumbo, double peer, double jumboCpu, double peerCpu);
    }

    static final PairObserver QUIET = (i, j, p, jc, pc) -> { };

    /**
     * Per pair: runs per wall-clock second and per CPU-second of the whole process (every thread,
     * native ones too: on a shared machine it shows the work each side needs, while the wall clock
     * shows who won the cores). The accessors give the medians.
     */
    record Result(double[] jumbo, double[] peer, double[] jumboCpu, double[] peerCpu) {
        double jumboPerSecond() {
            return median(jumbo);
        }

        double peerPerSecond() {
            return median(peer);
        }

        /** Median of the per-pair ratios (Jumbo / peer). */
        double pairRatio() {
            return median(ratios(jumbo, peer));
        }

        double pairRatioMin() {
            return Arrays.stream(ratios(jumbo, peer)).min().orElse(Double.NaN);
        }

        double pairRatioMax() {
            return Arrays.stream(ratios(jumbo, peer)).max().orElse(Double.NaN);
        }

        double jumboPerCpuSecond() {
            return median(jumboCpu);
        }

        double peerPerCpuSecond() {
            return median(peerCpu);
        }

        double cpuRatio() {
            return median(ratios(jumboCpu, peerCpu));
        }

        private static double[] ratios(double[] a, double[] b) {
            double[] r = new double[a.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = a[i] / b[i];
            }
            return r;
        }
    }

    private final double minTime;
    private final double idleBusy;
    private final double idleWait;
    private int busySections;

    /**
     * @param minTime  seconds each timed section lasts at least
     * @param idleBusy CPU busy fraction below which the machine counts as idle
     * @param idleWait seconds to wait for an idle machine before a section
     */
    PairedTimer(double minTime, double idleBusy, double idleWait) {
        this.minTime = minTime;
        this.idleBusy = idleBusy;
        this.idleWait = idleWait;
    }

    /** Longest the JIT is waited for after the minimum warm-up. */
    private static final double JIT_WAIT_SECONDS = 10;

    /**
     * Runs {@code s} repeatedly for at least {@code seconds}, then on until a quarter second passes
     * without the JIT compiling anything (at most {@value #JIT_WAIT_SECONDS} s more), so neither side
     * is timed in interpreted or C1 code. A fixed two seconds was not enough: LeNet conv2's grad
     * input kernel reached C2 about two seconds after the layer's first step (later while both
     * cores were busy), and the first timed pairs of a run measured half its speed.
     *
     * @return the seconds the warm-up took
     */
    static double warmUp(Side s, double seconds) {
        var jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long cap = end + (long) (JIT_WAIT_SECONDS * 1e9);
        do {
            s.run();
        } while (System.nanoTime() < end);
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return (System.nanoTime() - start) / 1e9;
        }
        long compiled = jit.getTotalCompilationTime();
        long window = System.nanoTime();
        while (System.nanoTime() < cap) {
            s.run();
            if (System.nanoTime() - window >= 250_000_000L) {
                long now = jit.getTotalCompilationTime();
                if (now == compiled) {
                    break;
                }
                compiled = now;
                window = System.nanoTime();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** {@code pairs} interleaved timed pairs; {@code observer} hears each one as it finishes. */
    Result measure(Side jumbo, Side peer, int pairs, PairObserver observer) {
        int repsJ = calibrate(jumbo);
        int repsP = calibrate(peer);
        double[] j = new double[pairs];
        double[] p = new double[pairs];
        double[] jc = new double[pairs];
        double[] pc = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double[] tj = time(jumbo, repsJ);
            double[] tp = time(peer, repsP);
            j[i] = repsJ / tj[0];
            p[i] = repsP / tp[0];
            jc[i] = repsJ / tj[1];
            pc[i] = repsP / tp[1];
            observer.pair(i, j[i], p[i], jc[i], pc[i]);
        }
        return new Result(j, p, jc, pc);
    }

    /** How many sections started on a machine that never became idle within the wait. */
    int busySections() {
        return busySections;
    }

    /** Repetitions that make one timed section last at least {@code minTime} (from 3 timed runs). */
    private int calibrate(Side s) {
        s.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            s.run();
        }
        double once = Math.max(1e-7, (System.nanoTime() - t0) / 3e9);
        return (int) Math.max(1, Math.ceil(minTime / once));
    }

    /** {wall seconds, process CPU seconds} for {@code reps} runs, after waiting for an idle machine. */
    private double[] time(Side s, int reps) {
        if (!IdleWait.await(idleBusy, idleWait)) {
            busySections++;
        }
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            s.run();
        }
        long t1 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e9, Math.max(1, processCpuNanos() - c0) / 1e9};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
