package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/** PyTorch {@code nn.Softmax(dim)}: {@code x.softmax(dim)}. Example: {@code new Softmax(1).forward(logits)}. */
public final class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("dim", dim);
    }
}
