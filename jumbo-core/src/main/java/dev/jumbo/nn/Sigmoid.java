package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;

/** 1/(1+exp(-x)) (PyTorch {@code nn.Sigmoid}); no parameters. Example: {@code new Sigmoid().forward(x)}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
