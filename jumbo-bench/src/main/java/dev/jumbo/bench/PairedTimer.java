package dev.jumbo.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;

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
 * PairedTimer.Result r = timer.measure(jumbo, peer, 5, i -> {});
 * System.out.println(r.jumboPerSecond() + " vs " + r.peerPerSecond());
 * }</pre>
 */
final class PairedTimer {

    /** One side of a comparison: one run of the measured work. */
    interface Side {
        void run();
    }

    /** Medians of runs per second on each side, and of the per-pair ratios (Jumbo / peer). */
    record Result(double jumboPerSecond, double peerPerSecond, double pairRatio, double[] jumbo, double[] peer) {}

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

    /** Runs {@code s} repeatedly for {@code seconds}, so neither side is timed in interpreted code. */
    static void warmUp(Side s, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            s.run();
        } while (System.nanoTime() < end);
    }

    /** {@code pairs} interleaved timed pairs; {@code afterPair} gets the index of each finished pair. */
    Result measure(Side jumbo, Side peer, int pairs, IntConsumer afterPair) {
        int repsJ = calibrate(jumbo);
        int repsP = calibrate(peer);
        double[] j = new double[pairs];
        double[] p = new double[pairs];
        double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            j[i] = repsJ / time(jumbo, repsJ);
            p[i] = repsP / time(peer, repsP);
            ratio[i] = j[i] / p[i];
            afterPair.accept(i);
        }
        return new Result(median(j), median(p), median(ratio), j, p);
    }

    /** How many sections started on a machine that never became idle within the wait. */
    int busySections() {
        return busySections;
    }

    /** Repetitions that make one timed section last at least {@code minTime}. */
    private int calibrate(Side s) {
        s.run();
        long t0 = System.nanoTime();
        s.run();
        double once = Math.max(1e-6, (System.nanoTime() - t0) / 1e9);
        return (int) Math.max(1, Math.ceil(minTime / once));
    }

    /** Seconds for {@code reps} runs, after waiting for an idle machine. */
    private double time(Side s, int reps) {
        if (!IdleWait.await(idleBusy, idleWait)) {
            busySections++;
        }
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            s.run();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
