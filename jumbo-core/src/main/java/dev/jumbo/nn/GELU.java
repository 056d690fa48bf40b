package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/**
 * Gaussian error linear unit (PyTorch {@code nn.GELU}): exact erf form with approximate "none",
 * the tanh form with "tanh". Example: {@code new GELU("tanh").forward(x)}.
 */
public final class GELU extends Module {
    public final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate '" + approximate + "', expected 'none' or 'tanh'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor x) {
        return approximate.equals("tanh") ? x.geluTanh() : x.gelu();
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("approximate", approximate);
    }
}
