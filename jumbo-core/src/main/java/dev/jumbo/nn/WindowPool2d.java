package dev.jumbo.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link MaxPool2d} and {@link AvgPool2d} share: a kernel window, stride and padding over
 * [N,C,H,W], each [h, w], validated once, and the same spec fields as PyTorch.
 */
public abstract class WindowPool2d extends Module {
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;

    protected WindowPool2d(String layer, int[] kernelSize, int[] stride, int[] padding) {
        this.kernelSize = Layers.pair(layer, "kernel_size", kernelSize, 1);
        this.stride = Layers.pair(layer, "stride", stride, 1);
        this.padding = Layers.pair(layer, "padding", padding, 0);
    }

    /** {@code [k, k]}, {@code [s, s]}, {@code [p, p]}. */
    protected static int[] square(int v) {
        return new int[] {v, v};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kernel_size", kernelSize.clone());
        c.put("stride", stride.clone());
        c.put("padding", padding.clone());
        return c;
    }
}
