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
public final class BasicBlock extends ResidualBlock {
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

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out));
        out = dropBranch(out); // (N,C,H,W), rows dropped in training
        Tensor identity = downsample == null ? x : downsample.call(x);
        return out.add(identity).relu();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("inplanes", inplanes);
        c.put("planes", planes);
        c.put("stride", stride);
        c.put("stochastic_depth_prob", stochasticDepthProb());
        return c;
    }
}
