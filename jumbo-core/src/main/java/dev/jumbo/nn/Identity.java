package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;

/** Returns its input unchanged (PyTorch {@code nn.Identity}); no parameters. Example: {@code new Identity().forward(x)}. */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
