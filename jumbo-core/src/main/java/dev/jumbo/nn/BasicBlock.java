package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torchvision's ResNet {@code BasicBlock} (expansion 1): conv1 3x3 (stride), bn1, relu, conv2 3x3,
 * bn2, plus the shortcut, then relu. When the stride is not 1 or the channels change, a
 * {@code downsample} = Sequential(conv 1x1 with stride, BatchNorm2d) projects the shortcut, as
 * torchvision's {@code _make_layer} builds it. Convolutions have no bias.
 *
 * <pre>{@code
 * BasicBlock b = new BasicBlock(64, 128, 2, rng); // [N,64,56,56] -> [N,128,28,28]
 * }</pre>
 */
public final class BasicBlock extends Module {
    public static final int EXPANSION = 1;

    public final int inplanes;
    public final int planes;
    public final int stride;
    public final Conv2d conv1;
    public final BatchNorm2d bn1;
    public final Conv2d conv2;
    public final BatchNorm2d bn2;
    /** Null when the shortcut is the identity. */
    public final Sequential downsample;
    private double stochasticDepthProb;
    private Rng depthRng;

    public BasicBlock(int inplanes, int planes, int stride, Rng rng) {
        this.inplanes = inplanes;
        this.planes = planes;
        this.stride = stride;
        conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 3, stride, 1, false, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        registerModule("relu", new ReLU());
        conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false, rng));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        downsample = stride != 1 || inplanes != planes * EXPANSION
                ? registerModule("downsample", shortcut(inplanes, planes * EXPANSION, stride, rng)) : null;
    }

    /** The projection shortcut: Sequential(Conv2d 1x1 with stride, no bias; BatchNorm2d). */
    static Sequential shortcut(int in, int out, int stride, Rng rng) {
        return new Sequential(new Conv2d(in, out, 1, stride, 0, false, rng), new BatchNorm2d(out));
    }

    /**
     * Drops the residual branch per sample with probability {@code p} in training (see
     * {@link StochasticDepth}); {@code rng} draws the masks (may be null when p is 0). Returns this.
     */
    public BasicBlock stochasticDepth(double p, Rng rng) {
        Layers.probability("BasicBlock", "stochastic_depth_prob", p);
        if (p > 0 && rng == null) {
            throw new IllegalArgumentException("BasicBlock: stochastic_depth_prob " + p + " without a generator: expected an Rng");
        }
        this.stochasticDepthProb = p;
        this.depthRng = rng;
        return this;
    }

    /** The probability of dropping the residual branch of a sample in training (0: never). */
    public double stochasticDepthProb() {
        return stochasticDepthProb;
    }

    /** The generator drawing the stochastic depth masks, or null. */
    public Rng depthRng() {
        return depthRng;
    }

    /** Replaces the stochastic depth generator (e.g. with one restored from a checkpoint). */
    public void depthRng(Rng rng) {
        this.depthRng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out));
        out = StochasticDepth.apply(out, stochasticDepthProb, isTraining(), depthRng); // (N,C,H,W), rows dropped in training
        Tensor identity = downsample == null ? x : downsample.call(x);
        return out.add(identity).relu();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("inplanes", inplanes);
        c.put("planes", planes);
        c.put("stride", stride);
        c.put("stochastic_depth_prob", stochasticDepthProb);
        return c;
    }
}
