package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torchvision's ResNet {@code Bottleneck} (ResNet v1.5, expansion 4): conv1 1x1, bn1, conv2 3x3
 * carrying the stride, bn2, conv3 1x1 to planes·4, bn3, relu after each and after the sum with the
 * shortcut; a {@code downsample} projection when the stride or the channels change.
 *
 * <pre>{@code
 * Bottleneck b = new Bottleneck(256, 128, 2, rng); // [N,256,56,56] -> [N,512,28,28]
 * }</pre>
 */
public final class Bottleneck extends ResidualBlock {
    public static final int EXPANSION = 4;

    public final int inplanes;
    public final int planes;
    public final int stride;
    public final Conv2d conv1;
    public final BatchNorm2d bn1;
    public final Conv2d conv2;
    public final BatchNorm2d bn2;
    public final Conv2d conv3;
    public final BatchNorm2d bn3;
    /** Null when the shortcut is the identity. */
    public final Sequential downsample;

    public Bottleneck(int inplanes, int planes, int stride, Rng rng) {
        this.inplanes = inplanes;
        this.planes = planes;
        this.stride = stride;
        int out = planes * EXPANSION;
        conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 1, 1, 0, false, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, stride, 1, false, rng));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        conv3 = registerModule("conv3", new Conv2d(planes, out, 1, 1, 0, false, rng));
        bn3 = registerModule("bn3", new BatchNorm2d(out));
        registerModule("relu", new ReLU());
        downsample = stride != 1 || inplanes != out
                ? registerModule("downsample", BasicBlock.shortcut(inplanes, out, stride, rng)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out)).relu();
        out = bn3.call(conv3.call(out));
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
