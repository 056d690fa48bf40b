package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/**
 * Average pooling of [N,C,H,W] to a fixed [N,C,outH,outW] (PyTorch {@code nn.AdaptiveAvgPool2d}).
 * Example: {@code new AdaptiveAvgPool2d(1, 1).forward(x)} is global average pooling.
 */
public final class AdaptiveAvgPool2d extends Module {
    public final int[] outputSize;

    public AdaptiveAvgPool2d(int outH, int outW) {
        this.outputSize = Layers.pair("AdaptiveAvgPool2d", "output_size", new int[] {outH, outW}, 1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.adaptiveAvgPool2d(outputSize[0], outputSize[1]);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("output_size", outputSize.clone());
    }
}
