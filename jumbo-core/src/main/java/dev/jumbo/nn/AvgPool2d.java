package dev.jumbo.nn;

import dev.jumbo.tensor.PoolOps;
import dev.jumbo.tensor.Tensor;

/**
 * Average pooling; padding counts in the divisor (count_include_pad), over [N,C,H,W] (PyTorch {@code nn.AvgPool2d}; stride defaults to the kernel size, floor output size).
 *
 * <pre>{@code
 * new AvgPool2d(2).forward(x);        // halves H and W
 * new AvgPool2d(3, 2, 1).forward(x);  // ResNet stem style
 * }</pre>
 */
public final class AvgPool2d extends WindowPool2d {

    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(square(kernel), square(stride), square(padding));
    }

    /** Each argument is [h, w]. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding) {
        super("AvgPool2d", kernelSize, stride, padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolOps.avgPool2d(x, kernelSize, stride, padding);
    }
}
