package dev.jumbo.nn;

/**
 * Batch norm of [N,C,H,W] per channel (PyTorch {@code nn.BatchNorm2d}; eps 1e-5, momentum 0.1).
 * Example: {@code new BatchNorm2d(64).forward(x)}.
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine, 4);
    }

    @Override
    protected String expected() {
        return "[N,C,H,W]";
    }
}
