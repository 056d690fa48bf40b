package dev.jumbo.tensor;

import dev.jumbo.autograd.GradCheck;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Gradient checks on shapes drawn at random: broadcasting pairs and reductions over any axis. */
class RandomShapeGradTest {

    /** Drops leading axes and sets some axes to 1, giving a shape that broadcasts to {@code full}. */
    private static int[] broadcastable(int[] full, int mask, int drop) {
        int[] s = new int[full.length - drop];
        for (int i = 0; i < s.length; i++) {
            s[i] = (mask >> i & 1) == 1 ? 1 : full[i + drop];
        }
        return s;
    }

    @Property(tries = 12)
    void binaryOpsOnBroadcastPairs(@ForAll @IntRange(min = 1, max = 4) int d0, @ForAll @IntRange(min = 1, max = 4) int d1,
                                   @ForAll @IntRange(min = 1, max = 5) int d2, @ForAll @IntRange(min = 0, max = 7) int maskA,
                                   @ForAll @IntRange(min = 0, max = 7) int maskB, @ForAll @IntRange(min = 0, max = 2) int drop) {
        int[] full = {d0, d1, d2};
        int[] sa = broadcastable(full, maskA, 0);
        int[] sb = broadcastable(full, maskB, drop);
        long seed = d0 * 1000L + d1 * 100L + d2 * 10L + maskA;
        Tensor a = Tensor.uniform(new Rng(seed), 0.5f, 2f, sa).requiresGrad(true);
        Tensor b = Tensor.uniform(new Rng(seed + 1), 0.5f, 2f, sb).requiresGrad(true);
        GradCheck.check("mul/div/sub " + Shapes.str(sa) + " " + Shapes.str(sb),
                in -> in[0].mul(in[1]).add(in[0].div(in[1])).sub(in[1]), a, b);
    }

    @Property(tries = 12)
    void reductionsOverRandomAxes(@ForAll @IntRange(min = 1, max = 4) int d0, @ForAll @IntRange(min = 2, max = 4) int d1,
                                  @ForAll @IntRange(min = 1, max = 5) int d2, @ForAll @IntRange(min = 0, max = 2) int axis,
                                  @ForAll boolean keepdim) {
        Tensor x = Tensor.uniform(new Rng(d0 * 100L + d1 * 10L + d2), -2f, 2f, d2, d1, d0).permute(2, 1, 0)
                .detach().requiresGrad(true); // non-contiguous [d0,d1,d2]
        GradCheck.check("sum/mean/var/logsumexp/softmax axis " + axis, in -> in[0].sum(axis, keepdim)
                .add(in[0].mean(axis, keepdim)).add(in[0].var(axis, keepdim, false))
                .add(in[0].logsumexp(axis, keepdim)).sum().add(in[0].softmax(axis).mul(in[0]).sum()), x);
    }
}
