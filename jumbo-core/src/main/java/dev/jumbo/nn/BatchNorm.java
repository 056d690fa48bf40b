package dev.jumbo.nn;

import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalization per channel (PyTorch {@code _BatchNorm}): parameters weight (ones) and bias
 * (zeros) when affine; buffers running_mean (zeros), running_var (ones) and num_batches_tracked
 * (int32 scalar). Training normalizes with batch statistics and updates the running ones with
 * {@code momentum}; evaluation uses the running statistics. See {@link BatchNorm1d}, {@link BatchNorm2d}.
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    public final double momentum;
    /** Null when not affine. */
    public final Tensor weight;
    /** Null when not affine. */
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;
    private final int[] ranks;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, int... ranks) {
        Layers.positive(getClass().getSimpleName(), "num_features", numFeatures);
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps " + eps + " and momentum " + momentum
                    + ", expected eps > 0 and momentum in [0, 1]");
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.ranks = ranks;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.ofInts(new int[1]));
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean rankOk = false;
        for (int r : ranks) {
            rankOk |= x.dim() == r;
        }
        if (!rankOk || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(typeName() + ": input " + Shapes.str(x.shape()) + ", expected "
                    + expected() + " with C = " + numFeatures);
        }
        boolean training = isTraining();
        Tensor y = x.batchNorm(runningMean, runningVar, weight, bias, training, (float) momentum, (float) eps);
        if (training) {
            numBatchesTracked.intData()[numBatchesTracked.offset()]++;
        }
        return y;
    }

    /** The accepted input layouts, for errors. */
    protected abstract String expected();

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("num_features", numFeatures);
        c.put("eps", eps);
        c.put("momentum", momentum);
        c.put("affine", weight != null);
        return c;
    }
}
