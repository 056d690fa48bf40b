package dev.jumbo.tensor;

/**
 * One recorded op on the autograd tape: the inputs it read and how to turn the gradient of its
 * output into gradients for those inputs. Ops create it right beside their forward computation.
 */
final class GradFn {

    /** Maps the output gradient to one gradient per input ({@code null} where none flows). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final String op;
    Tensor[] inputs;
    Backward backward;

    GradFn(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    /** Drops references so the graph behind this node can be collected after backward. */
    void release() {
        inputs = null;
        backward = null;
    }
}
