package dev.jumbo.nn;

/**
 * Batch norm of [N,C] or [N,C,L] per channel (PyTorch {@code nn.BatchNorm1d}; eps 1e-5, momentum 0.1).
 * Example: {@code new BatchNorm1d(64).forward(x)}.
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine, 2, 3);
    }

    @Override
    protected String expected() {
        return "[N,C] or [N,C,L]";
    }
}
