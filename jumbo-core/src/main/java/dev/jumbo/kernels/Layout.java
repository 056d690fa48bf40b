package dev.jumbo.kernels;

/** Shape helpers for strided kernels: merging dimensions and locating a row of the outer walk. */
final class Layout {
    private Layout() {}

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Drops size-1 dimensions and merges dimension d into d+1 wherever every stride array is
     * contiguous across them. Returns {shape, strides0, strides1, ...}; rank is at least 1.
     */
    static int[][] coalesce(int[] shape, int[]... strides) {
        int k = strides.length;
        int[] sh = new int[Math.max(1, shape.length)];
        int[][] st = new int[k][sh.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int s = 0; s < k && merge; s++) {
                merge = st[s][rank - 1] == strides[s][d] * shape[d];
            }
            if (merge) {
                sh[rank - 1] *= shape[d];
                for (int s = 0; s < k; s++) {
                    st[s][rank - 1] = strides[s][d];
                }
            } else {
                sh[rank] = shape[d];
                for (int s = 0; s < k; s++) {
                    st[s][rank] = strides[s][d];
                }
                rank++;
            }
        }
        if (rank == 0) {
            sh[0] = 1;
            rank = 1;
        }
        int[][] out = new int[k + 1][];
        out[0] = java.util.Arrays.copyOf(sh, rank);
        for (int s = 0; s < k; s++) {
            out[s + 1] = java.util.Arrays.copyOf(st[s], rank);
        }
        return out;
    }

    /**
     * Sets {@code idx} to the outer coordinates (all but the last dimension) of row {@code row}
     * and returns the element offsets of that row in both operands.
     */
    static int[] start(int row, int[] shape, int[] as, int[] bs, int[] idx, int aOff, int bOff) {
        int pa = aOff;
        int pb = bOff;
        int rem = row;
        for (int d = shape.length - 2; d >= 0; d--) {
            idx[d] = rem % shape[d];
            rem /= shape[d];
            pa += idx[d] * as[d];
            pb += idx[d] * bs[d];
        }
        return new int[] {pa, pb};
    }
}
