package dev.jumbo.nn;

import dev.jumbo.tensor.PoolOps;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Max pooling; padding acts as -infinity, over [N,C,H,W] (PyTorch {@code nn.MaxPool2d}; stride defaults to the kernel size, floor output size).
 *
 * <pre>{@code
 * new MaxPool2d(2).forward(x);        // halves H and W
 * new MaxPool2d(3, 2, 1).forward(x);  // ResNet stem style
 * }</pre>
 */
public final class MaxPool2d extends Module {
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** Each argument is [h, w]. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        this.kernelSize = Layers.pair("MaxPool2d", "kernel_size", kernelSize, 1);
        this.stride = Layers.pair("MaxPool2d", "stride", stride, 1);
        this.padding = Layers.pair("MaxPool2d", "padding", padding, 0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolOps.maxPool2d(x, kernelSize, stride, padding);
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
