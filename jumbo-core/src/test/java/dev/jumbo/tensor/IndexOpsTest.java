package dev.jumbo.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.autograd.GradCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class IndexOpsTest {

    private final SplittableRandom rnd = new SplittableRandom(7);

    private Tensor rand(int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return Tensor.of(d, shape);
    }

    /** A leaf of the given shape that is a transposed (non-contiguous) view of its storage. */
    private Tensor randTransposed(int rows, int cols) {
        return rand(cols, rows).t().detach().requiresGrad(true);
    }

    private Tensor randInts(int bound, int... shape) {
        int[] d = new int[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextInt(bound);
        }
        return Tensor.ofInts(d, shape);
    }

    private static int[] coords(int flat, int[] shape) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = flat % shape[d];
            flat /= shape[d];
        }
        return c;
    }

    // ------------------------------------------------------------------ embedding

    @Test
    void embeddingLooksUpRowsForAnyIndexShape() {
        Tensor w = rand(10, 4);
        Tensor idx = randInts(10, 2, 3);
        Tensor y = Tensor.embedding(w, idx);
        assertThat(y.shape()).containsExactly(2, 3, 4);
        for (int i = 0; i < 6; i++) {
            int[] c = coords(i, new int[] {2, 3});
            for (int j = 0; j < 4; j++) {
                assertThat(y.get(c[0], c[1], j)).isEqualTo(w.get(idx.getInt(c[0], c[1]), j));
            }
        }
    }

    @Test
    void embeddingGradientAccumulatesRepeatedIndices() {
        Tensor w = rand(5, 3).requiresGrad(true);
        Tensor idx = Tensor.ofInts(new int[] {1, 1, 4, 1, 0, 4}, 2, 3);
        GradCheck.check("embedding", in -> Tensor.embedding(in[0], idx), w);
        w.zeroGrad();
        Tensor.embedding(w, idx).backward(Tensor.ones(2, 3, 3));
        assertThat(w.grad().get(1, 0)).isEqualTo(3f);
        assertThat(w.grad().get(4, 2)).isEqualTo(2f);
        assertThat(w.grad().get(2, 1)).isEqualTo(0f);
    }

    @Test
    void embeddingOnNonContiguousWeight() {
        Tensor w = randTransposed(6, 4);
        Tensor idx = Tensor.ofInts(new int[] {5, 0, 5, 2}, 4);
        GradCheck.check("embedding(t)", in -> Tensor.embedding(in[0], idx), w);
    }

    @Test
    void embeddingRejectsOutOfRangeIndex() {
        Tensor w = Tensor.zeros(50257, 2);
        assertThatThrownBy(() -> Tensor.embedding(w, Tensor.ofInts(new int[] {3, 70000}, 2)))
                .hasMessage("embedding: index 70000 out of range for 50257 rows");
        assertThatThrownBy(() -> Tensor.embedding(w, Tensor.zeros(2)))
                .hasMessageContaining("embedding: indices holds FLOAT32");
    }

    // ------------------------------------------------------------------ concat, stack, split, chunk

    @Test
    void concatMatchesNaiveOnEveryAxis() {
        for (int axis = 0; axis < 3; axis++) {
            int[] s0 = {2, 3, 4};
            int[] s1 = s0.clone();
            s1[axis] = 5;
            Tensor a = rand(s0);
            Tensor b = rand(s1);
            Tensor c = Tensor.concat(axis, a, b);
            int[] cs = c.shape();
            assertThat(cs[axis]).isEqualTo(s0[axis] + 5);
            for (int i = 0; i < c.numel(); i++) {
                int[] p = coords(i, cs);
                float expected;
                if (p[axis] < s0[axis]) {
                    expected = a.get(p);
                } else {
                    p[axis] -= s0[axis];
                    expected = b.get(p);
                }
                assertThat(c.toFloatArray()[i]).isEqualTo(expected);
            }
        }
    }

    @Test
    void concatOfIntsAndNegativeAxis() {
        Tensor a = Tensor.ofInts(new int[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.ofInts(new int[] {5, 6}, 2, 1);
        assertThat(Tensor.cat(-1, a, b).toIntArray()).containsExactly(1, 2, 5, 3, 4, 6);
    }

    @Test
    void concatGradientsOnNonContiguousInputs() {
        Tensor a = randTransposed(3, 2);
        Tensor b = rand(3, 4).requiresGrad(true);
        Tensor c = randTransposed(3, 1);
        GradCheck.check("concat", in -> Tensor.concat(1, in[0], in[1], in[2]), a, b, c);
        Tensor d = randTransposed(2, 3);
        GradCheck.check("concat0", in -> Tensor.concat(0, in[0], in[1]), d, a.t().detach().requiresGrad(true));
    }

    @Test
    void concatShapeMismatchNamesTensorDimsAndAxis() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(2, 3);
        Tensor c = Tensor.zeros(4, 4);
        assertThatThrownBy(() -> Tensor.concat(0, a, b, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("concat: tensor 2 has shape [4,4] but tensor 0 has [2,3]: dimension 1 is 4 vs 3, "
                        + "expected equal sizes except on axis 0");
        assertThatThrownBy(() -> Tensor.concat(1, a, Tensor.zeros(2, 3, 1)))
                .hasMessageContaining("tensor 1").hasMessageContaining("ranks differ");
        assertThatThrownBy(() -> Tensor.concat(0, a, Tensor.zerosInt(2, 3)))
                .hasMessageContaining("tensor 1 holds INT32");
        assertThatThrownBy(() -> Tensor.concat(2, a, b)).hasMessageContaining("concat: axis 2 is out of range");
        assertThatThrownBy(() -> Tensor.concat(0)).hasMessage("concat: no tensors, expected at least one");
    }

    @Test
    void stackAddsAnAxisAndBacksPropagates() {
        Tensor a = randTransposed(2, 3);
        Tensor b = rand(2, 3).requiresGrad(true);
        Tensor s = Tensor.stack(1, a, b);
        assertThat(s.shape()).containsExactly(2, 2, 3);
        assertThat(s.get(1, 0, 2)).isEqualTo(a.get(1, 2));
        assertThat(s.get(1, 1, 2)).isEqualTo(b.get(1, 2));
        assertThat(Tensor.stack(-1, a, b).shape()).containsExactly(2, 3, 2);
        GradCheck.check("stack", in -> Tensor.stack(-1, in[0], in[1]), a, b);
        assertThatThrownBy(() -> Tensor.stack(0, a, Tensor.zeros(3, 2)))
                .hasMessage("stack: tensor 1 has shape [3,2] but tensor 0 has [2,3], expected equal shapes");
    }

    @Test
    void splitAndChunkAreViewsWithTorchSizes() {
        Tensor x = rand(7, 2);
        Tensor[] p = x.split(0, 3);
        assertThat(p).hasSize(3);
        assertThat(p[2].shape()).containsExactly(1, 2);
        assertThat(p[1].sharesStorage(x)).isTrue();
        assertThat(p[1].get(0, 1)).isEqualTo(x.get(3, 1));
        Tensor[] q = x.split(0, 2, 5);
        assertThat(q[1].shape()).containsExactly(5, 2);
        Tensor[] c = x.chunk(0, 3); // ceil(7/3) = 3: sizes 3, 3, 1
        assertThat(c).hasSize(3);
        assertThat(c[2].shape()).containsExactly(1, 2);
        assertThat(Tensor.zeros(6, 4).chunk(-1, 4)).hasSize(4);
        assertThat(Tensor.zeros(5).chunk(0, 4)).hasSize(3); // like torch: 2, 2, 1
        assertThatThrownBy(() -> x.split(0, 2, 4))
                .hasMessage("split: sizes [2,4] add up to 6, expected axis 0 of [7,2] = 7");
        assertThatThrownBy(() -> x.chunk(0, 0)).hasMessageContaining("chunk: 0 chunks");
    }

    @Test
    void splitGradientFlowsBackThroughConcat() {
        Tensor x = randTransposed(4, 5);
        GradCheck.check("split", in -> {
            Tensor[] parts = in[0].split(1, 2, 3);
            return Tensor.concat(1, parts[1], parts[0]);
        }, x);
        GradCheck.check("chunk", in -> in[0].chunk(0, 2)[1].contiguous(), x);
    }

    // ------------------------------------------------------------------ gather, scatterAdd, indexSelect

    /** gather along each axis of a random 3-d tensor against the definition. */
    @RepeatedTest(3)
    void gatherMatchesDefinition() {
        int[] xs = {2 + rnd.nextInt(3), 2 + rnd.nextInt(3), 2 + rnd.nextInt(3)};
        Tensor x = rand(xs);
        for (int axis = 0; axis < 3; axis++) {
            int[] is = xs.clone();
            is[axis] = 1 + rnd.nextInt(5);
            is[(axis + 1) % 3] = Math.max(1, xs[(axis + 1) % 3] - 1); // smaller than x off the axis is allowed
            Tensor idx = randInts(xs[axis], is);
            Tensor y = x.gather(axis, idx);
            assertThat(y.shape()).containsExactly(is);
            for (int i = 0; i < y.numel(); i++) {
                int[] p = coords(i, is);
                int[] q = p.clone();
                q[axis] = idx.getInt(p);
                assertThat(y.get(p)).isEqualTo(x.get(q));
            }
        }
    }

    @Test
    void gatherGradientWithRepeatsOnNonContiguousInput() {
        Tensor x = randTransposed(3, 4);
        Tensor idx = Tensor.ofInts(new int[] {0, 0, 3, 1, 2, 2, 2, 0, 1, 3, 3, 3}, 3, 4);
        GradCheck.check("gather", in -> in[0].gather(1, idx), x);
        Tensor idx0 = Tensor.ofInts(new int[] {2, 2, 0, 1, 1, 1}, 2, 3);
        GradCheck.check("gather0", in -> in[0].gather(0, idx0), x);
    }

    @Test
    void scatterAddMatchesDefinitionAndGradients() {
        Tensor x = rand(3, 4);
        Tensor src = rand(2, 5);
        Tensor idx = Tensor.ofInts(new int[] {0, 2, 2, 1, 0, 3}, 2, 3);
        Tensor y = x.scatterAdd(1, idx, src);
        float[] expected = x.toFloatArray();
        for (int i = 0; i < 6; i++) {
            int[] p = coords(i, new int[] {2, 3});
            expected[p[0] * 4 + idx.getInt(p)] += src.get(p);
        }
        assertThat(y.toFloatArray()).containsExactly(expected);
        assertThat(x.toFloatArray()).isNotEqualTo(y.toFloatArray()); // out of place

        Tensor xg = randTransposed(3, 4);
        Tensor sg = randTransposed(2, 5);
        GradCheck.check("scatterAdd", in -> in[0].scatterAdd(1, idx, in[1]), xg, sg);
        Tensor idx0 = Tensor.ofInts(new int[] {2, 0, 0, 1, 2, 2}, 2, 3);
        GradCheck.check("scatterAdd0", in -> in[0].scatterAdd(0, idx0, in[1]), xg, sg);
    }

    @Test
    void gatherAndScatterErrors() {
        Tensor x = Tensor.zeros(3, 4);
        assertThatThrownBy(() -> x.gather(1, Tensor.ofInts(new int[] {0, 4}, 1, 2)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("gather: index 4 at [0, 1] out of range for axis 1 of size 4");
        assertThatThrownBy(() -> x.gather(1, Tensor.zerosInt(4, 1)))
                .hasMessage("gather: index of shape [4,1] for x of shape [3,4]: dimension 0 is 4, expected at most 3");
        assertThatThrownBy(() -> x.gather(0, Tensor.zerosInt(3)))
                .hasMessageContaining("expected the same rank 2");
        assertThatThrownBy(() -> x.scatterAdd(0, Tensor.zerosInt(2, 2), Tensor.zeros(2, 1)))
                .hasMessageContaining("scatterAdd: index of shape [2,2] for src of shape [2,1]");
    }

    @Test
    void indexSelectMatchesDefinitionForFloatsAndInts() {
        Tensor x = rand(3, 4, 2);
        Tensor idx = Tensor.ofInts(new int[] {3, 0, 3}, 3);
        Tensor y = x.indexSelect(1, idx);
        assertThat(y.shape()).containsExactly(3, 3, 2);
        for (int i = 0; i < y.numel(); i++) {
            int[] p = coords(i, y.shape());
            int[] q = p.clone();
            q[1] = idx.getInt(p[1]);
            assertThat(y.get(p)).isEqualTo(x.get(q));
        }
        Tensor labels = Tensor.ofInts(new int[] {7, 8, 9}, 3);
        assertThat(labels.indexSelect(0, Tensor.ofInts(new int[] {2, 2, 0}, 3)).toIntArray()).containsExactly(9, 9, 7);
        assertThatThrownBy(() -> x.indexSelect(0, Tensor.ofInts(new int[] {3}, 1)))
                .hasMessage("indexSelect: index 3 out of range for axis 0 of size 3");
    }

    @Test
    void indexSelectGradient() {
        Tensor x = randTransposed(5, 3);
        Tensor idx = Tensor.ofInts(new int[] {4, 1, 4, 0}, 4);
        GradCheck.check("indexSelect0", in -> in[0].indexSelect(0, idx), x);
        Tensor idx1 = Tensor.ofInts(new int[] {2, 2}, 2);
        GradCheck.check("indexSelect1", in -> in[0].indexSelect(-1, idx1), x);
    }

    // ------------------------------------------------------------------ oneHot, profiler

    @Test
    void oneHotEncodes() {
        Tensor y = Tensor.oneHot(Tensor.ofInts(new int[] {2, 0, 1, 2}, 2, 2), 3);
        assertThat(y.shape()).containsExactly(2, 2, 3);
        assertThat(y.toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThatThrownBy(() -> Tensor.oneHot(Tensor.ofInts(new int[] {3}, 1), 3))
                .hasMessage("oneHot: index 3 out of range for 3 classes");
    }

    @Test
    void opsReportToProfiler() {
        Tensor w = rand(4, 2).requiresGrad(true);
        try (Profiler prof = Profiler.start(false)) {
            Tensor.embedding(w, Tensor.ofInts(new int[] {1, 2, 1}, 3)).backward(Tensor.ones(3, 2));
            Profiler.Report r = prof.report();
            assertThat(r.op("embedding").calls()).isEqualTo(1);
            assertThat(r.op("embedding.backward").flops()).isEqualTo(6);
        }
    }
}
