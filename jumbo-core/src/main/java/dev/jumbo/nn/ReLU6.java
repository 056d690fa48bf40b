package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;

/** min(max(x, 0), 6), used by MobileNetV2 (PyTorch {@code nn.ReLU6}); no parameters. Example: {@code new ReLU6().forward(x)}. */
public final class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.clamp(0f, 6f);
    }
}
