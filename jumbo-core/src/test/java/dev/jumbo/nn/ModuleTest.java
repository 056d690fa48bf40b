package dev.jumbo.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** A small CNN with a nested Sequential, a batch norm (buffers) and a dropout. */
    static Sequential cnn(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(
                new Sequential(new Conv2d(1, 4, 3, 1, 1, false, rng), new BatchNorm2d(4), new ReLU()),
                new MaxPool2d(2), new Flatten(), new Dropout(0.3, rng.split()), new Linear(4 * 4 * 4, 3, rng));
    }

    static Tensor input(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), shape);
    }

    @Test
    void namesFollowRegistrationOrderWithDottedPaths() {
        Sequential m = cnn(1);
        assertThat(m.namedParameters().keySet()).containsExactly("0.0.weight", "0.1.weight", "0.1.bias", "4.weight", "4.bias");
        assertThat(m.namedBuffers().keySet()).containsExactly("0.1.running_mean", "0.1.running_var", "0.1.num_batches_tracked");
        assertThat(m.stateDict().keySet()).containsExactly("0.0.weight", "0.1.weight", "0.1.bias", "0.1.running_mean",
                "0.1.running_var", "0.1.num_batches_tracked", "4.weight", "4.bias");
        assertThat(m.namedModules().keySet()).containsExactly("", "0", "0.0", "0.1", "0.2", "1", "2", "3", "4");
        assertThat(m.parameters()).hasSize(5).allMatch(Tensor::requiresGrad);
        assertThat(m.stateDict().get("0.1.num_batches_tracked").dtype().toString()).isEqualTo("INT32");
        assertThat(m.stateDict().get("0.1.num_batches_tracked").shape()).isEmpty();
    }

    @Test
    void parameterCountsTotalAndTrainable() {
        Sequential m = cnn(1);
        assertThat(m.parameterCount()).isEqualTo(36 + 4 + 4 + 64 * 3 + 3);
        m.parameters().get(0).requiresGrad(false);
        assertThat(m.trainableParameterCount()).isEqualTo(m.parameterCount() - 36);
    }

    @Test
    void applyVisitsChildrenBeforeParentAndTrainEvalIsRecursive() {
        Sequential m = cnn(1);
        List<String> order = new ArrayList<>();
        m.apply(x -> order.add(x.typeName()));
        assertThat(order).containsExactly("Conv2d", "BatchNorm2d", "ReLU", "Sequential", "MaxPool2d", "Flatten",
                "Dropout", "Linear", "Sequential");
        m.eval();
        assertThat(m.namedModules().values()).noneMatch(Module::isTraining);
        m.train();
        assertThat(m.namedModules().values()).allMatch(Module::isTraining);
    }

    @Test
    void stateDictRoundTripGivesIdenticalOutputs() {
        Sequential a = cnn(1);
        Tensor x = input(5, 6, 1, 8, 8);
        a.forward(x); // one training step moves the running statistics
        a.eval();
        LinkedHashMap<String, Tensor> state = a.stateDict();
        Sequential b = cnn(2);
        b.eval();
        assertThat(b.forward(x).toFloatArray()).isNotEqualTo(a.forward(x).toFloatArray());
        Module.LoadResult r = b.loadStateDict(state, true);
        assertThat(r.missingKeys()).isEmpty();
        assertThat(b.forward(x).toFloatArray()).isEqualTo(a.forward(x).toFloatArray());
        assertThat(b.stateDict().get("0.1.num_batches_tracked").toIntArray()).containsExactly(1);
        // values were copied, not shared
        assertThat(b.parameters().get(0).sharesStorage(a.parameters().get(0))).isFalse();
    }

    @Test
    void loadStateDictNamesShapeMismatchesAndLeavesTheModelUnchanged() {
        Sequential m = cnn(1);
        float[] before = m.parameters().get(0).toFloatArray();
        LinkedHashMap<String, Tensor> state = cnn(2).stateDict();
        state.put("4.weight", Tensor.zeros(3, 32));
        assertThatThrownBy(() -> m.loadStateDict(state, false))
                .hasMessage("loadStateDict: 4.weight: file has [3,32], model expects [3,64]");
        assertThat(m.parameters().get(0).toFloatArray()).isEqualTo(before);
    }

    @Test
    void strictLoadNamesMissingAndUnexpectedKeys() {
        Sequential m = cnn(1);
        LinkedHashMap<String, Tensor> state = cnn(2).stateDict();
        state.remove("0.1.running_var");
        state.put("5.weight", Tensor.zeros(2));
        assertThatThrownBy(() -> m.loadStateDict(state, true))
                .hasMessageStartingWith("loadStateDict: missing keys [0.1.running_var]; unexpected keys [5.weight]");
        Module.LoadResult r = m.loadStateDict(state, false);
        assertThat(r.missingKeys()).containsExactly("0.1.running_var");
        assertThat(r.unexpectedKeys()).containsExactly("5.weight");
        assertThat(m.parameters().get(0).toFloatArray()).isEqualTo(state.get("0.0.weight").toFloatArray());
    }

    @Test
    void loadConvertsIntegerAndFloatEntries() {
        BatchNorm1d bn = new BatchNorm1d(2);
        LinkedHashMap<String, Tensor> state = bn.stateDict();
        state.put("num_batches_tracked", Tensor.scalar(7f));
        state.put("running_mean", Tensor.ofInts(new int[] {3, 4}, 2));
        bn.loadStateDict(state, true);
        assertThat(bn.numBatchesTracked.toIntArray()).containsExactly(7);
        assertThat(bn.runningMean.toFloatArray()).containsExactly(3f, 4f);
    }

    @Test
    void tiedWeightsAreOneParameterButTwoStateDictEntries() {
        Rng rng = new Rng(1);
        Linear a = new Linear(3, 3, false, rng);
        class Tied extends Module {
            Tied() {
                registerModule("a", a);
                registerParameter("w", a.weight);
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        Tied t = new Tied();
        assertThat(t.namedParameters().keySet()).containsExactly("w"); // own entries come before children's
        assertThat(t.parameterCount()).isEqualTo(9);
        assertThat(t.stateDict().keySet()).containsExactly("w", "a.weight");
    }

    @Test
    void duplicateOrDottedNamesAreRejected() {
        class Bad extends Module {
            Bad(String second) {
                registerParameter("w", Tensor.zeros(1));
                registerBuffer(second, Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertThatThrownBy(() -> new Bad("w")).hasMessageContaining("'w' is already registered");
        assertThatThrownBy(() -> new Bad("a.b")).hasMessageContaining("without dots");
    }

    @Test
    void toStringAndSummaryDescribeTheModel() {
        Sequential m = cnn(1);
        assertThat(m.toString()).contains("(0): Sequential(")
                .contains("(0): Conv2d(in_channels=1, out_channels=4, kernel_size=[3, 3], stride=[1, 1]")
                .contains("(4): Linear(in_features=64, out_features=3, bias=true)");
        String s = m.summary();
        assertThat(s).contains("0.0").contains("Conv2d").contains("36").contains("total params 239");
        assertThat(s.lines().count()).isEqualTo(1 + 9 + 1);
    }

    @Test
    void summaryWithInputShapeShowsOutputShapesAndRestoresModes() {
        Sequential m = cnn(1);
        m.get(0).eval(); // a mixed state that must survive
        String s = m.summary(1, 8, 8);
        assertThat(s).contains("output").containsPattern("0\\.0 +Conv2d +\\[1,4,8,8\\]")
                .containsPattern("1 +MaxPool2d +\\[1,4,4,4\\]").containsPattern("\\(model\\) +Sequential +\\[1,3\\]");
        assertThat(m.isTraining()).isTrue();
        assertThat(m.get(0).isTraining()).isFalse();
        assertThat(m.get(4).isTraining()).isTrue();
        assertThat(((BatchNorm2d) ((Sequential) m.get(0)).get(1)).numBatchesTracked.toIntArray()).containsExactly(0);
    }

    @Test
    void forwardHooksSeeEveryCalledModuleAndCanBeRemoved() {
        Sequential m = cnn(1);
        List<String> seen = new ArrayList<>();
        Module.HookHandle h = m.get(4).addForwardHook((mod, in, out) -> seen.add(mod.typeName() + " " + in.size(1)));
        m.call(input(1, 2, 1, 8, 8));
        assertThat(seen).containsExactly("Linear 64");
        h.close();
        m.call(input(1, 2, 1, 8, 8));
        assertThat(seen).hasSize(1);
    }
}
