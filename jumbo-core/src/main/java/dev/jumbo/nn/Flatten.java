package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/**
 * Flattens dimensions {@code startDim..} into one (PyTorch {@code nn.Flatten}, end_dim -1); a view
 * when the input is contiguous. Example: {@code new Flatten().forward(x)} maps [N,C,H,W] to [N,C·H·W].
 */
public final class Flatten extends Module {
    public final int startDim;

    public Flatten() {
        this(1);
    }

    public Flatten(int startDim) {
        this.startDim = startDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("start_dim", startDim);
    }
}
