package dev.jumbo.nn.zoo;

import dev.jumbo.nn.BatchNorm2d;
import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Flatten;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.MaxPool2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Named architectures with random initialization (no pretrained weights exist offline).
 *
 * <p>For 28×28 single-channel images, 10 classes: {@code mlp} / {@code lenet300100} (784-300-100-10,
 * ReLU), {@code lenet5} (conv 6@5×5 pad 2, ReLU, 2×2 max pool, conv 16@5×5, ReLU, 2×2 max pool,
 * 120, 84, 10 with ReLU — the modern reading of LeNet-5, not tanh and average pooling),
 * {@code vgg_small} (two VGG blocks 32-32 and 64-64 with batch norm, then 128 hidden units with
 * dropout) and {@code resnet_small} (3×3 stem to 32 channels, one BasicBlock per stage at 32/64/128
 * channels with strides 1/2/2, global average pooling).
 *
 * <p>For 3×224×224 images, 1000 classes, torchvision-exact structure and names: {@code resnet18},
 * {@code resnet34}, {@code resnet50}, {@code resnet101}, {@code vgg16}, {@code alexnet},
 * {@code mobilenet_v2}.
 *
 * <pre>{@code
 * Module net = Zoo.create("lenet5", new Rng(1));
 * int[] in = Zoo.inputShape("lenet5"); // [1, 28, 28]
 * }</pre>
 */
public final class Zoo {
    private Zoo() {}

    private static final int[] SMALL = {1, 28, 28};
    private static final int[] IMAGENET = {3, 224, 224};

    private record Entry(int[] inputShape, Function<Rng, Module> factory) {}

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("mlp", new Entry(SMALL, Zoo::lenet300100));
        MODELS.put("lenet300100", new Entry(SMALL, Zoo::lenet300100));
        MODELS.put("lenet5", new Entry(SMALL, Zoo::lenet5));
        MODELS.put("vgg_small", new Entry(SMALL, Zoo::vggSmall));
        MODELS.put("resnet_small", new Entry(SMALL, r -> new ResNet(false, new int[] {1, 1, 1},
                new int[] {32, 64, 128}, 1, 10, false, r)));
        MODELS.put("resnet18", new Entry(IMAGENET, r -> ResNet.resnet18(1000, r)));
        MODELS.put("resnet34", new Entry(IMAGENET, r -> ResNet.resnet34(1000, r)));
        MODELS.put("resnet50", new Entry(IMAGENET, r -> ResNet.resnet50(1000, r)));
        MODELS.put("resnet101", new Entry(IMAGENET, r -> ResNet.resnet101(1000, r)));
        MODELS.put("vgg16", new Entry(IMAGENET, r -> VGG.vgg16(1000, r)));
        MODELS.put("alexnet", new Entry(IMAGENET, r -> new AlexNet(1000, 0.5, r)));
        MODELS.put("mobilenet_v2", new Entry(IMAGENET, r -> new MobileNetV2(1000, 0.2, r)));
    }

    /** The model names, small ones first. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /** A freshly initialized model; the same seed gives the same weights. Its {@code zooName()} is {@code name}. */
    public static Module create(String name, Rng rng) {
        return entry(name).factory.apply(rng).zooName(name);
    }

    /** The input shape without the batch dimension: [1,28,28] or [3,224,224]. */
    public static int[] inputShape(String name) {
        return entry(name).inputShape.clone();
    }

    private static Entry entry(String name) {
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException("Zoo: unknown model '" + name + "', expected one of " + names());
        }
        return e;
    }

    /** 784-300-100-10 with ReLU: 266,610 parameters. */
    static Sequential lenet300100(Rng rng) {
        return new Sequential(new Flatten(), new Linear(784, 300, rng), new ReLU(), new Linear(300, 100, rng),
                new ReLU(), new Linear(100, 10, rng));
    }

    /** LeNet-5 for 28×28 with ReLU and max pooling: 61,706 parameters. */
    static Sequential lenet5(Rng rng) {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2, true, rng), new ReLU(), new MaxPool2d(2),   // (N,6,14,14)
                new Conv2d(6, 16, 5, 1, 0, true, rng), new ReLU(), new MaxPool2d(2),  // (N,16,5,5)
                new Flatten(),
                new Linear(16 * 5 * 5, 120, rng), new ReLU(),
                new Linear(120, 84, rng), new ReLU(),
                new Linear(84, 10, rng));
    }

    /** A small VGG-style CNN with batch norm. */
    static Sequential vggSmall(Rng rng) {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1, false, rng), new BatchNorm2d(32), new ReLU(),
                new Conv2d(32, 32, 3, 1, 1, false, rng), new BatchNorm2d(32), new ReLU(),
                new MaxPool2d(2),                                                      // (N,32,14,14)
                new Conv2d(32, 64, 3, 1, 1, false, rng), new BatchNorm2d(64), new ReLU(),
                new Conv2d(64, 64, 3, 1, 1, false, rng), new BatchNorm2d(64), new ReLU(),
                new MaxPool2d(2),                                                      // (N,64,7,7)
                new Flatten(),
                new Linear(64 * 7 * 7, 128, rng), new ReLU(), new Dropout(0.5, rng.split()),
                new Linear(128, 10, rng));
    }
}
