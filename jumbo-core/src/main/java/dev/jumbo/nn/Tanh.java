package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;

/** tanh(x) (PyTorch {@code nn.Tanh}); no parameters. Example: {@code new Tanh().forward(x)}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
