package dev.jumbo.nn.zoo;

import dev.jumbo.nn.AdaptiveAvgPool2d;
import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.MaxPool2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * torchvision's {@code AlexNet} (the one-tower variant: 64, 192, 384, 256, 256 channels), with
 * {@code features}, {@code avgpool} (6×6) and {@code classifier}; PyTorch's default init.
 * 61,100,840 parameters at 1000 classes.
 *
 * <pre>{@code
 * AlexNet net = new AlexNet(1000, 0.5, new Rng(0));
 * }</pre>
 */
public final class AlexNet extends Module {
    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public AlexNet(int numClasses, double dropout, Rng rng) {
        features = registerModule("features", new Sequential(
                new Conv2d(3, 64, 11, 4, 2, true, rng), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(64, 192, 5, 1, 2, true, rng), new ReLU(), new MaxPool2d(3, 2, 0),
                new Conv2d(192, 384, 3, 1, 1, true, rng), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1, true, rng), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(3, 2, 0)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(dropout, rng.split()), new Linear(256 * 6 * 6, 4096, rng), new ReLU(),
                new Dropout(dropout, rng.split()), new Linear(4096, 4096, rng), new ReLU(),
                new Linear(4096, numClasses, rng)));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = features.call(x);              // (N,256,6,6) at 224x224
        x = avgpool.call(x).flatten(1);    // (N,9216)
        return classifier.call(x);         // (N,classes)
    }
}
