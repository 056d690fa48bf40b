package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layer normalization over the trailing {@code normalizedShape} (PyTorch {@code nn.LayerNorm}; eps
 * 1e-5, weight ones and bias zeros when elementwise-affine). Example: {@code new LayerNorm(768).forward(x)}.
 */
public final class LayerNorm extends Module {
    public final int[] normalizedShape;
    public final double eps;
    /** Null when not elementwise-affine. */
    public final Tensor weight;
    /** Null when not elementwise-affine. */
    public final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape [], expected at least one dimension");
        }
        for (int d : normalizedShape) {
            Layers.positive("LayerNorm", "normalized_shape", d);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.layerNorm(normalizedShape, weight, bias, (float) eps);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("normalized_shape", normalizedShape.clone());
        c.put("eps", eps);
        c.put("elementwise_affine", weight != null);
        return c;
    }
}
