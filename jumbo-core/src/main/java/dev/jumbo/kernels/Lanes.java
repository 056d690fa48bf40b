package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sum of a vector's lanes in a fixed order (a rotate-and-add tree).
 *
 * <p>Why not {@code reduceLanes(ADD)}: its order is unspecified, and in practice the interpreted
 * and the C2-compiled code add the lanes in different orders, so the same data summed before and
 * after the JIT warmed up gave different results (seen here: 14058455232 vs 14058455488). Lane-wise
 * adds and permutations are exact on both paths, so this tree gives the same bits always.
 */
public final class Lanes {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorShuffle<Float> ROT_1 = rotation(L / 2);
    private static final VectorShuffle<Float> ROT_2 = rotation(Math.max(1, L / 4));
    private static final VectorShuffle<Float> ROT_3 = rotation(Math.max(1, L / 8));
    private static final VectorShuffle<Float> ROT_4 = rotation(Math.max(1, L / 16));

    private Lanes() {}

    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(S, i -> (i + by) % L);
    }

    /** Sum of all lanes of {@code v} (a vector of the preferred species), in a fixed order. */
    public static float sum(FloatVector v) {
        FloatVector s = v.add(v.rearrange(ROT_1));
        if (L >= 4) {
            s = s.add(s.rearrange(ROT_2));
        }
        if (L >= 8) {
            s = s.add(s.rearrange(ROT_3));
        }
        if (L >= 16) {
            s = s.add(s.rearrange(ROT_4));
        }
        if (L > 16) { // wider than 512 bits: finish in scalar, still in a fixed order
            float t = 0f;
            for (int i = 0; i < L / 16; i++) {
                t += s.lane(i);
            }
            return t;
        }
        return s.lane(0);
    }
}
