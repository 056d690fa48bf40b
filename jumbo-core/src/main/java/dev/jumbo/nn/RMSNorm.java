package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMS normalization over the last dimension (PyTorch {@code nn.RMSNorm}): x / √(mean(x²) + eps) ·
 * weight, weight ones. The default eps is PyTorch's (float32 machine epsilon, 2⁻²³).
 * Example: {@code new RMSNorm(4096, 1e-5).forward(x)}.
 */
public final class RMSNorm extends Module {
    /** torch.finfo(torch.float32).eps, what nn.RMSNorm uses when eps is None. */
    public static final double DEFAULT_EPS = Math.ulp(1.0f);

    public final int normalizedShape;
    public final double eps;
    /** Null when not elementwise-affine. */
    public final Tensor weight;

    public RMSNorm(int normalizedShape) {
        this(normalizedShape, DEFAULT_EPS, true);
    }

    public RMSNorm(int normalizedShape, double eps) {
        this(normalizedShape, eps, true);
    }

    public RMSNorm(int normalizedShape, double eps, boolean elementwiseAffine) {
        Layers.positive("RMSNorm", "normalized_shape", normalizedShape);
        this.normalizedShape = normalizedShape;
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.rmsNorm(weight, (float) eps);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("normalized_shape", normalizedShape);
        c.put("eps", eps);
        c.put("elementwise_affine", weight != null);
        return c;
    }
}
