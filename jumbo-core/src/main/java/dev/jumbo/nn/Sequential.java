package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order (PyTorch {@code nn.Sequential}); they are named "0", "1", ... so state
 * dict keys read {@code 0.weight}, {@code features.3.bias}.
 *
 * <pre>{@code
 * Sequential mlp = new Sequential(new Flatten(), new Linear(784, 300, rng), new ReLU(), new Linear(300, 10, rng));
 * Tensor logits = mlp.forward(images); // [N,1,28,28] -> [N,10]
 * }</pre>
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a module under the next index; returns this. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    /** The i-th module. */
    public Module get(int i) {
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential.get: index " + i + ", expected 0.." + (layers.size() - 1));
        }
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    /** The modules in order (unmodifiable). */
    public List<Module> layers() {
        return List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0, n = layers.size(); i < n; i++) {
            x = layers.get(i).call(x);
        }
        return x;
    }
}
