package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyChunkRunsOnceAndNestedRegionsRunInline() {
        Parallel.setThreads(2);
        int[] hits = new int[1000];
        Parallel.forChunks(hits.length, c -> {
            hits[c]++;
            Parallel.forRange(0, 10, 1, (a, b) -> { }); // nested: inline, no deadlock
        });
        assertThat(hits).containsOnly(1);
    }

    /**
     * {@link Parallel#idle()} between regions, right after one or while the workers park, never
     * loses the wake-up of the next region: a lost one would hang here.
     */
    @Test
    void regionsAfterIdleAreAllRunAndUseTheWorkers() {
        Parallel.setThreads(2);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        AtomicLong sum = new AtomicLong();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 2000; round++) {
                Parallel.forChunks(8, c -> {
                    sum.addAndGet(c);
                    ran.add(Thread.currentThread());
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                });
                Parallel.idle();
                if (round % 3 == 0) {
                    LockSupport.parkNanos(200_000); // let the worker reach its park
                }
            }
        });
        assertThat(sum.get()).isEqualTo(2000L * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7));
        assertThat(ran).as("threads that ran chunks").hasSizeGreaterThan(1);
    }

    @Test
    void onCallerKeepsEveryRegionOnTheCallingThread() {
        Parallel.setThreads(2);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        Parallel.onCaller(() -> {
            Parallel.forChunks(16, c -> ran.add(Thread.currentThread()));
            return null;
        });
        assertThat(ran).containsExactly(Thread.currentThread());
    }
}
