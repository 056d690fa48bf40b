package dev.jumbo.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.jumbo.nn.Flatten;
import dev.jumbo.nn.MaxPool2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The same network as a Jumbo {@code Sequential} of Linear/Conv2d/ReLU/MaxPool2d/Flatten layers,
 * rebuilt for PyTorch through DJL's functional API: plain parameter NDArrays (copied from the
 * Jumbo model, so both sides start from identical weights) and one native op per layer. No DJL
 * Block or Trainer machinery sits in the timed path, so PyTorch runs close to its native speed.
 *
 * <pre>{@code
 * TorchTwin twin = TorchTwin.of(Zoo.create("lenet5", new Rng(1)), manager);
 * NDArray logits = twin.forward(x); // x (N,1,28,28) -> (N,10)
 * }</pre>
 */
final class TorchTwin {
    private final List<UnaryOperator<NDArray>> layers;
    /** Parameters in the Jumbo model's {@code parameters()} order, with gradients attached. */
    final List<NDArray> params;

    private TorchTwin(List<UnaryOperator<NDArray>> layers, List<NDArray> params) {
        this.layers = layers;
        this.params = params;
    }

    NDArray forward(NDArray x) {
        NDArray y = x;
        for (UnaryOperator<NDArray> layer : layers) {
            y = layer.apply(y);
        }
        return y;
    }

    /** Builds the twin of {@code model}'s children; throws naming a layer type it cannot translate. */
    static TorchTwin of(Module model, NDManager manager) {
        List<UnaryOperator<NDArray>> layers = new ArrayList<>();
        List<NDArray> params = new ArrayList<>();
        for (Module m : model.children().values()) {
            switch (m) {
                case dev.jumbo.nn.Linear l -> {
                    NDArray w = param(l.weight, manager, params);
                    NDArray b = param(l.bias, manager, params);
                    layers.add(x -> Linear.linear(x, w, b).singletonOrThrow());
                }
                case dev.jumbo.nn.Conv2d c -> {
                    NDArray w = param(c.weight, manager, params);
                    NDArray b = param(c.bias, manager, params);
                    Shape stride = new Shape(c.stride[0], c.stride[1]);
                    Shape pad = new Shape(c.padding[0], c.padding[1]);
                    Shape dil = new Shape(c.dilation[0], c.dilation[1]);
                    layers.add(x -> Conv2d.conv2d(x, w, b, stride, pad, dil, c.groups).singletonOrThrow());
                }
                case ReLU r -> layers.add(Activation::relu);
                case MaxPool2d p -> {
                    Shape k = new Shape(p.kernelSize[0], p.kernelSize[1]);
                    Shape s = new Shape(p.stride[0], p.stride[1]);
                    Shape pad = new Shape(p.padding[0], p.padding[1]);
                    layers.add(x -> Pool.maxPool2d(x, k, s, pad, false));
                }
                case Flatten f -> layers.add(x -> x.reshape(x.getShape().get(0), -1));
                default -> throw new IllegalArgumentException("TorchTwin: layer " + m.typeName()
                        + " has no PyTorch translation, expected Linear, Conv2d, ReLU, MaxPool2d or Flatten");
            }
        }
        return new TorchTwin(layers, params);
    }

    private static NDArray param(Tensor t, NDManager manager, List<NDArray> params) {
        NDArray a = manager.create(t.toFloatArray(), new Shape(toLongs(t.shape())));
        a.setRequiresGradient(true);
        params.add(a);
        return a;
    }

    static long[] toLongs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }
}
