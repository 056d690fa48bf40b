package dev.jumbo.kernels;

/**
 * The packed, cache-blocked SGEMM driver for one thread's share of C (GotoBLAS loop order).
 *
 * <p>For each {@code NC}-column block of B and each {@code KC}-deep slice, the B block is packed
 * once (it stays in L2/L3), then each {@code MC}-row block of A is packed (it stays in L2) and
 * swept by the {@link SgemmKernel} register tile. Pack buffers live per thread and are reused
 * across calls, because training calls this thousands of times.
 *
 * <pre>{@code
 * // C[0..m, 0..n] += alpha * op(A) * op(B); beta already applied by the caller
 * SgemmBlocked.multiply(false, false, k, 1f, a, 0, k, b, 0, n, c, 0, n, 0, m, 0, n);
 * }</pre>
 */
final class SgemmBlocked {
    /** Whether the vectors are 512-bit (AVX-512); the block sizes below were tuned per width. */
    private static final boolean WIDE = SgemmKernel.S.length() >= 16;
    /**
     * Depth of one packed slice: large K blocks matter most (DESIGN.md lesson 3). 512 with 512-bit
     * vectors; 384 with 256-bit ones, where a 16-column B micro-panel of that depth (24 KB) still
     * fits the 32 KB L1 next to the A panel.
     */
    static final int KC = Integer.getInteger("jumbo.sgemm.kc", WIDE ? 512 : 384);
    /**
     * Rows of A packed at a time (a multiple of the tile height); KC×MC floats stay in L2. 120 with
     * 512-bit vectors; 64 with 256-bit ones (measured on a Zen 3 core with 512 KB of L2: 120 rows
     * ran 20-30% slower at n = 1024).
     */
    static final int MC = roundUp(Integer.getInteger("jumbo.sgemm.mc", WIDE ? 120 : 64), SgemmKernel.MR);
    /** Columns of B packed at a time (a multiple of the tile width). */
    static final int NC = roundUp(Integer.getInteger("jumbo.sgemm.nc", 1024), SgemmKernel.NR);

    private static final Scratch<Buffers> BUFFERS = new Scratch<>(size -> new Buffers(), b -> Integer.MAX_VALUE);

    private SgemmBlocked() {}

    private static int roundUp(int x, int to) {
        return Math.max(to, (x + to - 1) / to * to);
    }

    /**
     * Deepest slice: depths up to this many run as one slice, deeper ones are split into equal
     * slices of at most this depth. (A 576-deep product, a 3x3x64 convolution, used to run as 512 +
     * 64, and the 64-deep slice paid the full C load/store and packing overhead for 1/9 of the work.)
     */
    static final int KC_MAX = KC + KC / 4;

    /** Depth of each slice for a product of depth k: equal slices of at most {@link #KC_MAX}. */
    static int sliceDepth(int k) {
        int slices = Math.max(1, (k + KC_MAX - 1) / KC_MAX);
        return (k + slices - 1) / slices;
    }

    /**
     * Parts of C larger than this many floats (4 MB) are read through, row by row, before the tiles
     * of each block update them. A tile loads its rows of C only after its k loop, each row in a
     * different page when C is wide, where the hardware prefetcher cannot follow, and each miss
     * stalls the core; a sequential pass brings the block in with the prefetcher's help. Zen 5, one
     * thread, n = 2048: 212-226 against 192-219 GFLOP/s in alternating runs. At n = 256, where C is
     * still in cache from clearing it, the pass cost 3%, and at n = 1024 it was within the noise,
     * hence the threshold.
     */
    static final long TOUCH_C_FLOATS = Long.getLong("jumbo.sgemm.touchCFloats", 1L << 20);

    /** Per-thread scratch: packed A block, packed B block and one edge tile. */
    private static final class Buffers {
        final float[] ap = new float[MC * KC_MAX];
        final float[] bp = new float[KC_MAX * NC];
        final float[] edge = new float[SgemmKernel.MR * SgemmKernel.NR];
        /** Where {@link #touch} leaves its sum, so the JIT keeps the loads. */
        float sink;
    }

    /** Reads one float per cache line of {@code rows x cols} of C (see {@link #TOUCH_C_FLOATS}). */
    private static void touch(float[] c, int cOff, int ldc, int rows, int cols, Buffers buf) {
        float t = 0f;
        for (int i = 0; i < rows; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < cols; j += 16) {
                t += c[row + j];
            }
        }
        buf.sink = t;
    }

    /** Fills packed B panels: op(B) depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} in {@link SgemmPack#packB}'s layout. */
    @FunctionalInterface
    interface BPanels {
        void pack(int p0, int j0, int kc, int nc, float[] bp);
    }

    /**
     * Adds {@code alpha * op(A) * op(B)} into rows {@code [i0, i1)} and columns {@code [j0, j1)} of C.
     * The k-order of every element's sum is independent of the row/column range, so any partition
     * of C gives bit-identical results.
     */
    static void multiply(boolean transA, boolean transB, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        multiply(transA, k, alpha, a, aOff, lda,
                (p0, jb, kc, nc, bp) -> SgemmPack.packB(transB, b, bOff, ldb, p0, jb, kc, nc, bp),
                c, cOff, ldc, i0, i1, j0, j1);
    }

    /**
     * {@link #multiply(boolean, boolean, int, float, float[], int, int, float[], int, int, float[], int, int, int, int, int, int)}
     * with B supplied as packed panels: for kernels whose B is cheaper to pack from its source than
     * to materialize (conv2d's weight gradient, {@link ChannelsLastPanels}). Runs on the calling thread.
     */
    static void multiply(boolean transA, int k, float alpha, float[] a, int aOff, int lda, BPanels b,
                         float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        Buffers buf = BUFFERS.borrow(0);
        try {
            multiply(buf, transA, k, alpha, a, aOff, lda, b, c, cOff, ldc, i0, i1, j0, j1);
        } finally {
            BUFFERS.release(buf);
        }
    }

    private static void multiply(Buffers buf, boolean transA, int k, float alpha, float[] a, int aOff, int lda,
                                 BPanels b, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        final int mr = SgemmKernel.MR;
        final int nr = SgemmKernel.NR;
        float[] ap = buf.ap;
        float[] bp = buf.bp;
        float[] edge = buf.edge;
        int depth = sliceDepth(k);
        boolean touchC = (long) (i1 - i0) * (j1 - j0) > TOUCH_C_FLOATS;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                b.pack(pc, jc, kc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    SgemmPack.packA(transA, a, aOff, lda, ic, pc, mc, kc, ap);
                    if (touchC) {
                        touch(c, cOff + ic * ldc + jc, ldc, mc, nc, buf);
                    }
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int bo = jr * kc;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int ao = ir * kc;
                            int co = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == mr && cols == nr) {
                                SgemmKernel.tile(kc, ap, ao, bp, bo, c, co, ldc, alpha);
                            } else {
                                java.util.Arrays.fill(edge, 0f);
                                SgemmKernel.tile(kc, ap, ao, bp, bo, edge, 0, nr, alpha);
                                for (int i = 0; i < rows; i++) {
                                    for (int j = 0; j < cols; j++) {
                                        c[co + i * ldc + j] += edge[i * nr + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
