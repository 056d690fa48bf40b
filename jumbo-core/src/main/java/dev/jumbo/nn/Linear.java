package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code y = x·Wᵀ + b} over the last dimension (PyTorch {@code nn.Linear}); weight [out, in].
 * Initialized as PyTorch does: kaiming_uniform_(a=√5) weight, U(±1/√in) bias.
 *
 * <pre>{@code
 * Linear fc = new Linear(784, 10, new Rng(1));
 * Tensor logits = fc.forward(x); // x [B,784] -> [B,10]
 * }</pre>
 */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Tensor weight;
    /** Null without bias. */
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        Layers.positive("Linear", "in_features", inFeatures);
        Layers.positive("Linear", "out_features", outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.torchDefault(weight, this.bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Tensor.linear(x, weight, bias);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("in_features", inFeatures);
        c.put("out_features", outFeatures);
        c.put("bias", bias != null);
        return c;
    }
}
