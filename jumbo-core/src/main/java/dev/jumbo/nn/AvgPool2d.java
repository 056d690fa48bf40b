package dev.jumbo.nn;

import dev.jumbo.tensor.PoolOps;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Average pooling; padding counts in the divisor (count_include_pad), over [N,C,H,W] (PyTorch {@code nn.AvgPool2d}; stride defaults to the kernel size, floor output size).
 *
 * <pre>{@code
 * new AvgPool2d(2).forward(x);        // halves H and W
 * new AvgPool2d(3, 2, 1).forward(x);  // ResNet stem style
 * }</pre>
 */
public final class AvgPool2d extends Module {
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** Each argument is [h, w]. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding) {
        this.kernelSize = Layers.pair("AvgPool2d", "kernel_size", kernelSize, 1);
        this.stride = Layers.pair("AvgPool2d", "stride", stride, 1);
        this.padding = Layers.pair("AvgPool2d", "padding", padding, 0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolOps.avgPool2d(x, kernelSize, stride, padding);
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
