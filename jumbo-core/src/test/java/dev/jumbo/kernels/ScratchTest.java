package dev.jumbo.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScratchTest {

    @Test
    void aPlatformThreadKeepsOneBufferAndGrowsIt() {
        Scratch<float[]> s = Scratch.floats();
        float[] a = s.borrow(10);
        s.release(a);
        assertThat(s.borrow(5)).isSameAs(a);
        float[] b = s.borrow(100);
        assertThat(b).hasSize(100).isNotSameAs(a);
        assertThat(s.borrow(100)).isSameAs(b);
    }

    @Test
    void virtualThreadsOneAfterAnotherShareOneBufferInsteadOfEachMakingTheirOwn() throws Exception {
        Scratch<float[]> s = Scratch.floats();
        Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 200; i++) {
            Thread.ofVirtual().start(() -> {
                float[] buf = s.borrow(4096);
                seen.add(buf);
                s.release(buf);
            }).join();
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void buffersBorrowedAtTheSameTimeAreDistinct() throws Exception {
        Scratch<float[]> s = Scratch.floats();
        AtomicReference<AssertionError> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            float[] outer = s.borrow(64);
            float[] inner = s.borrow(64);
            if (outer == inner) {
                failure.set(new AssertionError("one virtual thread got the same buffer twice"));
            }
            s.release(inner);
            s.release(outer);
        }).join();
        if (failure.get() != null) {
            throw failure.get();
        }
        // a buffer too small for the request is not lent out again
        Thread.ofVirtual().start(() -> s.release(new float[8])).join();
        AtomicReference<float[]> lent = new AtomicReference<>();
        Thread.ofVirtual().start(() -> lent.set(s.borrow(64))).join();
        assertThat(lent.get().length).isGreaterThanOrEqualTo(64);
    }

    /**
     * The kernels that borrow scratch (blocked and small SGEMM, conv2d forward and backward) give
     * right answers when many virtual threads run them at once, as a server's connections do.
     */
    @Test
    void kernelsOnManyConcurrentVirtualThreadsMatchTheReference() throws Exception {
        int threads = 24;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int seed = t;
            running.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    SplittableRandom rnd = new SplittableRandom(seed);
                    for (int rep = 0; rep < 3; rep++) {
                        checkSgemm(rnd, 70 + seed, 90, 600);  // blocked, packed panels
                        checkSgemm(rnd, 1, 120, 300);         // small
                        checkConv(rnd, 2, 3, 12, 5);           // one image at a time
                        checkConv(rnd, 3, 16, 7, 20);          // the SGEMM path
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread t : running) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }

    private static void checkSgemm(SplittableRandom rnd, int m, int n, int k) {
        float[] a = TestArrays.random(rnd, m * k);
        float[] b = TestArrays.random(rnd, k * n);
        float[] c = new float[m * n];
        float[] expected = new float[m * n];
        Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        SgemmReference.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        TestArrays.assertClose("sgemm " + m + "x" + n + "x" + k, c, expected, 1e-4);
    }

    private static void checkConv(SplittableRandom rnd, int n, int cin, int hw, int cout) {
        ConvGeometry g = new ConvGeometry(n, cin, hw, hw, cout, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        float[] x = TestArrays.random(rnd, n * cin * hw * hw);
        float[] w = TestArrays.random(rnd, cout * cin * 9);
        float[] dy = TestArrays.random(rnd, n * cout * g.pixels);
        float[] y = new float[dy.length];
        Conv2d.forward(g, x, 0, w, 0, null, 0, y, 0);
        TestArrays.assertClose("conv forward", y, ConvReference.forward(g, x, w, null), 1e-4);
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        Conv2d.backward(g, x, 0, w, 0, dy, 0, dx, dw, null);
        float[][] ref = ConvReference.backward(g, x, w, dy);
        TestArrays.assertClose("conv grad input", dx, ref[0], 1e-4);
        TestArrays.assertClose("conv grad weight", dw, ref[1], 1e-4);
    }
}
