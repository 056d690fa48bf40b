package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/** PyTorch {@code nn.LogSoftmax(dim)}: {@code x.logSoftmax(dim)}. Example: {@code new LogSoftmax(1).forward(logits)}. */
public final class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.logSoftmax(dim);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("dim", dim);
    }
}
