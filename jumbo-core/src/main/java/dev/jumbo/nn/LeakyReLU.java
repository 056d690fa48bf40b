package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/** {@code x >= 0 ? x : slope·x} (PyTorch {@code nn.LeakyReLU}, default slope 0.01). Example: {@code new LeakyReLU(0.2)}. */
public final class LeakyReLU extends Module {
    public final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu((float) negativeSlope);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("negative_slope", negativeSlope);
    }
}
