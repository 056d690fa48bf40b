package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;

/** max(x, 0) (PyTorch {@code nn.ReLU}); no parameters. Example: {@code new ReLU().forward(x)}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
