package dev.jumbo.nn.zoo;

import dev.jumbo.nn.BatchNorm;
import dev.jumbo.nn.BatchNorm2d;
import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Init;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU6;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * torchvision's {@code MobileNetV2} (width 1.0): {@code features} = a 3×3/2 Conv2dNormActivation, 17
 * inverted residual blocks, a 1×1 Conv2dNormActivation to 1280; then global average pooling and
 * {@code classifier} = (Dropout 0.2, Linear 1280→classes). A Conv2dNormActivation is a Sequential
 * (Conv2d without bias, BatchNorm2d, ReLU6), so keys read {@code features.18.1.weight}. Init as
 * torchvision: convs kaiming_normal_(fan_out), batch norms 1/0, linear N(0, 0.01) with zero bias.
 * 3,504,872 parameters at 1000 classes.
 *
 * <pre>{@code
 * MobileNetV2 net = new MobileNetV2(1000, 0.2, new Rng(0));
 * }</pre>
 */
public final class MobileNetV2 extends Module {
    /** t (expansion), c (channels), n (repeats), s (first stride), as in the paper and torchvision. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private final Sequential features;
    private final Sequential classifier;

    public MobileNetV2(int numClasses, double dropout, Rng rng) {
        int input = 32;
        int last = 1280;
        features = registerModule("features", new Sequential(convBnAct(3, input, 3, 2, 1, rng)));
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                features.add(new InvertedResidual(input, s[1], i == 0 ? s[3] : 1, s[0], rng));
                input = s[1];
            }
        }
        features.add(convBnAct(input, last, 1, 1, 1, rng));
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout, rng.split()),
                new Linear(last, numClasses, rng)));
        apply(m -> {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight, 0, Init.Mode.FAN_OUT, "leaky_relu", rng);
                if (c.bias != null) {
                    Init.zeros(c.bias);
                }
            } else if (m instanceof BatchNorm bn) {
                Init.ones(bn.weight);
                Init.zeros(bn.bias);
            } else if (m instanceof Linear l) {
                Init.normal(l.weight, 0, 0.01, rng);
                Init.zeros(l.bias);
            }
        });
    }

    /** torchvision's Conv2dNormActivation with ReLU6: padding (k-1)/2, no conv bias. */
    static Sequential convBnAct(int in, int out, int kernel, int stride, int groups, Rng rng) {
        int p = (kernel - 1) / 2;
        return new Sequential(
                new Conv2d(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {p, p},
                        new int[] {1, 1}, groups, false, rng),
                new BatchNorm2d(out), new ReLU6());
    }

    @Override
    public Tensor forward(Tensor x) {
        x = features.call(x);                          // (N,1280,H/32,W/32)
        x = x.adaptiveAvgPool2d(1, 1).flatten(1);         // (N,1280)
        return classifier.call(x);                     // (N,classes)
    }

    /**
     * torchvision's {@code InvertedResidual}: {@code conv} = [1×1 expand ConvBNReLU6 when t != 1,
     * 3×3 depthwise ConvBNReLU6 with the stride, 1×1 linear projection Conv2d, BatchNorm2d]; the
     * input is added back when the stride is 1 and the channels are unchanged.
     */
    public static final class InvertedResidual extends Module {
        private final Sequential conv;
        private final boolean residual;

        public InvertedResidual(int in, int out, int stride, int expandRatio, Rng rng) {
            int hidden = in * expandRatio;
            residual = stride == 1 && in == out;
            Sequential c = new Sequential();
            if (expandRatio != 1) {
                c.add(convBnAct(in, hidden, 1, 1, 1, rng));
            }
            c.add(convBnAct(hidden, hidden, 3, stride, hidden, rng));
            c.add(new Conv2d(hidden, out, 1, 1, 0, false, rng));
            c.add(new BatchNorm2d(out));
            conv = registerModule("conv", c);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.call(x);
            return residual ? x.add(y) : y;
        }
    }
}
