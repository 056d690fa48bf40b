package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Shape properties of the joining ops (jqwik). */
class IndexOpsPropertiesTest {

    private static Tensor rand(SplittableRandom r, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(d, shape);
    }

    /** split undoes concat on any axis, for random shapes and piece sizes (including empty pieces). */
    @Property(tries = 50)
    void splitUndoesConcat(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll @IntRange(min = 0, max = 3) int axisSeed,
                           @ForAll @IntRange(min = 0, max = 4) int sizeA, @ForAll @IntRange(min = 0, max = 4) int sizeB,
                           @ForAll @IntRange(min = 0, max = 1000) int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int axis = axisSeed % rank;
        int[] sa = new int[rank];
        for (int d = 0; d < rank; d++) {
            sa[d] = 1 + r.nextInt(3);
        }
        int[] sb = sa.clone();
        sa[axis] = sizeA;
        sb[axis] = sizeB;
        Tensor a = rand(r, sa);
        Tensor b = rand(r, sb);
        Tensor[] parts = Tensor.concat(axis, a, b).split(axis, sizeA, sizeB);
        assertThat(parts[0].shape()).containsExactly(sa);
        assertThat(parts[1].shape()).containsExactly(sb);
        assertThat(parts[0].toFloatArray()).containsExactly(a.toFloatArray());
        assertThat(parts[1].toFloatArray()).containsExactly(b.toFloatArray());
    }
}
