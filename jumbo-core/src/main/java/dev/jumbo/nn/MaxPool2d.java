package dev.jumbo.nn;

import dev.jumbo.tensor.PoolOps;
import dev.jumbo.tensor.Tensor;

/**
 * Max pooling; padding acts as -infinity, over [N,C,H,W] (PyTorch {@code nn.MaxPool2d}; stride defaults to the kernel size, floor output size).
 *
 * <pre>{@code
 * new MaxPool2d(2).forward(x);        // halves H and W
 * new MaxPool2d(3, 2, 1).forward(x);  // ResNet stem style
 * }</pre>
 */
public final class MaxPool2d extends WindowPool2d {

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(square(kernel), square(stride), square(padding));
    }

    /** Each argument is [h, w]. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        super("MaxPool2d", kernelSize, stride, padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolOps.maxPool2d(x, kernelSize, stride, padding);
    }
}
