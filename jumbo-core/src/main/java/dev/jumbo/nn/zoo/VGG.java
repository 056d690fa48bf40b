package dev.jumbo.nn.zoo;

import dev.jumbo.nn.AdaptiveAvgPool2d;
import dev.jumbo.nn.BatchNorm;
import dev.jumbo.nn.BatchNorm2d;
import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Init;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.MaxPool2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * torchvision's {@code VGG}: {@code features} (3×3 convs with padding 1, ReLU, 2×2 max pools, from a
 * configuration list), {@code avgpool} to 7×7, {@code classifier} (Linear 25088→4096, ReLU, Dropout,
 * Linear 4096→4096, ReLU, Dropout, Linear 4096→classes). Init as torchvision: convs
 * kaiming_normal_(fan_out, relu) with zero bias, linears N(0, 0.01) with zero bias.
 *
 * <pre>{@code
 * VGG vgg = VGG.vgg16(1000, new Rng(0)); // 138,357,544 parameters; key classifier.6.bias
 * }</pre>
 */
public final class VGG extends Module {
    /** Pool marker in a configuration. */
    public static final int M = -1;
    public static final int[] CFG_11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    public static final int[] CFG_13 = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    public static final int[] CFG_16 = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    public static final int[] CFG_19 = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
        512, 512, 512, 512, M};

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    /** Channel numbers and {@link #M} pools as in torchvision's cfgs; {@code batchNorm} for the _bn variants. */
    public VGG(int[] cfg, boolean batchNorm, int numClasses, double dropout, Rng rng) {
        features = registerModule("features", new Sequential());
        int in = 3;
        for (int v : cfg) {
            if (v == M) {
                features.add(new MaxPool2d(2));
            } else {
                features.add(new Conv2d(in, v, 3, 1, 1, true, rng));
                if (batchNorm) {
                    features.add(new BatchNorm2d(v));
                }
                features.add(new ReLU());
                in = v;
            }
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        classifier = registerModule("classifier", new Sequential(
                new Linear(512 * 7 * 7, 4096, rng), new ReLU(), new Dropout(dropout, rng.split()),
                new Linear(4096, 4096, rng), new ReLU(), new Dropout(dropout, rng.split()),
                new Linear(4096, numClasses, rng)));
        apply(m -> {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight, 0, Init.Mode.FAN_OUT, "relu", rng);
                Init.zeros(c.bias);
            } else if (m instanceof BatchNorm bn) {
                Init.ones(bn.weight);
                Init.zeros(bn.bias);
            } else if (m instanceof Linear l) {
                Init.normal(l.weight, 0, 0.01, rng);
                Init.zeros(l.bias);
            }
        });
    }

    /** torchvision vgg16 (configuration D, no batch norm). */
    public static VGG vgg16(int numClasses, Rng rng) {
        return new VGG(CFG_16, false, numClasses, 0.5, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = features.call(x);                  // (N,512,H/32,W/32)
        x = avgpool.call(x).flatten(1);        // (N,25088)
        return classifier.call(x);             // (N,classes)
    }
}
