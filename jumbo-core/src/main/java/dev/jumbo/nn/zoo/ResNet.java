package dev.jumbo.nn.zoo;

import dev.jumbo.nn.AdaptiveAvgPool2d;
import dev.jumbo.nn.BasicBlock;
import dev.jumbo.nn.BatchNorm;
import dev.jumbo.nn.BatchNorm2d;
import dev.jumbo.nn.Bottleneck;
import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Init;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.MaxPool2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.ResidualBlock;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * torchvision's {@code ResNet}: conv1, bn1, relu, maxpool, layer1..layerN (Sequentials of
 * {@link BasicBlock} or {@link Bottleneck}), avgpool, fc — the same module names, so torchvision
 * state dict keys ({@code layer4.1.bn2.running_var}) match. After construction the convolutions are
 * re-initialized with kaiming_normal_(mode='fan_out', nonlinearity='relu') and batch norms with
 * weight 1, bias 0, as torchvision does ({@code zero_init_residual=False}).
 *
 * <p>The small variant (for 28×28 inputs) replaces the 7×7/2 stem and max pool with a 3×3/1 conv,
 * keeping resolution for the first stage.
 *
 * <pre>{@code
 * ResNet r18 = ResNet.resnet18(1000, new Rng(0));
 * Tensor logits = r18.forward(images); // [N,3,224,224] -> [N,1000]
 * }</pre>
 */
public final class ResNet extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final Sequential[] stages;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private double stochasticDepthProb;

    /**
     * @param bottleneck Bottleneck blocks (ResNet-50 and deeper) instead of BasicBlocks
     * @param blocks     blocks per stage, e.g. {2, 2, 2, 2} for ResNet-18
     * @param widths     planes per stage, e.g. {64, 128, 256, 512}; stage i > 0 starts with stride 2
     * @param imagenetStem torchvision's 7×7/2 conv and 3×3/2 max pool; otherwise a 3×3/1 conv only
     */
    public ResNet(boolean bottleneck, int[] blocks, int[] widths, int inChannels, int numClasses,
                  boolean imagenetStem, Rng rng) {
        if (blocks.length != widths.length || blocks.length == 0) {
            throw new IllegalArgumentException("ResNet: " + blocks.length + " stage depths and " + widths.length
                    + " widths, expected the same non-zero number");
        }
        int expansion = bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
        int inplanes = imagenetStem ? 64 : widths[0];
        conv1 = registerModule("conv1", imagenetStem ? new Conv2d(inChannels, inplanes, 7, 2, 3, false, rng)
                : new Conv2d(inChannels, inplanes, 3, 1, 1, false, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(inplanes));
        registerModule("relu", new ReLU());
        maxpool = imagenetStem ? registerModule("maxpool", new MaxPool2d(3, 2, 1)) : null;
        stages = new Sequential[blocks.length];
        for (int s = 0; s < blocks.length; s++) {
            Sequential layer = new Sequential();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                layer.add(bottleneck ? new Bottleneck(inplanes, widths[s], stride, rng)
                        : new BasicBlock(inplanes, widths[s], stride, rng));
                inplanes = widths[s] * expansion;
            }
            stages[s] = registerModule("layer" + (s + 1), layer);
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(inplanes, numClasses, rng));
        apply(m -> {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight, 0, Init.Mode.FAN_OUT, "relu", rng);
            } else if (m instanceof BatchNorm bn) {
                Init.ones(bn.weight);
                Init.zeros(bn.bias);
            }
        });
    }

    /** torchvision resnet18: BasicBlocks [2,2,2,2], 11,689,512 parameters at 1000 classes. */
    public static ResNet resnet18(int numClasses, Rng rng) {
        return new ResNet(false, new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}, 3, numClasses, true, rng);
    }

    /** torchvision resnet34: BasicBlocks [3,4,6,3]. */
    public static ResNet resnet34(int numClasses, Rng rng) {
        return new ResNet(false, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512}, 3, numClasses, true, rng);
    }

    /** torchvision resnet50: Bottlenecks [3,4,6,3], 25,557,032 parameters at 1000 classes. */
    public static ResNet resnet50(int numClasses, Rng rng) {
        return new ResNet(true, new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512}, 3, numClasses, true, rng);
    }

    /** torchvision resnet101: Bottlenecks [3,4,23,3]. */
    public static ResNet resnet101(int numClasses, Rng rng) {
        return new ResNet(true, new int[] {3, 4, 23, 3}, new int[] {64, 128, 256, 512}, 3, numClasses, true, rng);
    }

    /**
     * Stochastic depth with the linear decay rule of Huang et al. 2016: the l-th of L residual
     * blocks (counted from 1, input side first) drops its branch with probability
     * {@code p·l/L}, so the last block drops with {@code p}; each block gets its own generator split
     * from {@code rng}. {@code p = 0} turns it off. Saved in the model spec. Returns this.
     *
     * <pre>{@code
     * ResNet net = ((ResNet) Zoo.create("resnet_small", rng)).stochasticDepth(0.2, new Rng(7));
     * }</pre>
     */
    public ResNet stochasticDepth(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("ResNet: stochastic_depth_prob " + p + ", expected a probability in [0, 1)");
        }
        int total = 0;
        for (Sequential s : stages) {
            total += s.size();
        }
        int l = 0;
        for (Sequential s : stages) {
            for (int i = 0; i < s.size(); i++) {
                l++;
                double pl = p * l / total;
                Rng r = p > 0 ? rng.split() : null;
                if (s.get(i) instanceof ResidualBlock b) {
                    b.stochasticDepth(pl, r);
                }
            }
        }
        this.stochasticDepthProb = p;
        return this;
    }

    /** The stochastic depth probability of the last block (0: off). */
    public double stochasticDepthProb() {
        return stochasticDepthProb;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = bn1.call(conv1.call(x)).relu();   // (N,64,H/2,W/2) with the ImageNet stem
        if (maxpool != null) {
            x = maxpool.call(x);                  // (N,64,H/4,W/4)
        }
        for (Sequential stage : stages) {
            x = stage.call(x);
        }
        x = avgpool.call(x).flatten(1);           // (N,C)
        return fc.call(x);                        // (N,classes)
    }
}
