package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;

/** x·sigmoid(x) (PyTorch {@code nn.SiLU}); no parameters. Example: {@code new SiLU().forward(x)}. */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.silu();
    }
}
