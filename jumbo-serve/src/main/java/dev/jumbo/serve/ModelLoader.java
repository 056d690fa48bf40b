package dev.jumbo.serve;

import dev.jumbo.kernels.Parallel;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.Sequential;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads a model version directory ({@code spec.json} + {@code model.safetensors}, as
 * {@link dev.jumbo.nn.Model#save} writes it, or a {@code jumbo train} run directory) through
 * {@link dev.jumbo.nn.Model#read}, switches it to eval mode, finds its input and output shapes and
 * warms it up.
 *
 * <pre>{@code
 * ModelLoader.Loaded m = ModelLoader.load(Path.of("models/fashion/1"), null, 8);
 * m.inputShape();  // [1, 28, 28]
 * }</pre>
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** A loaded, warmed-up model and its per-example input and output shapes (no batch dimension). */
    public record Loaded(Module module, int[] inputShape, int[] outputShape) {
        /** Elements in one example's input. */
        public int inputSize() {
            return numel(inputShape);
        }

        /**
         * Runs {@code rows} examples stacked in {@code input} with gradients off; returns rows *
         * outputSize values. One example runs on the calling thread alone ({@link Parallel#onCaller}):
         * a second compute thread does not shorten it, and waking it takes a core from the requests.
         */
        public float[] run(float[] input, int rows) {
            int[] shape = new int[inputShape.length + 1];
            shape[0] = rows;
            System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
            return rows == 1 ? Parallel.onCaller(() -> forward(input, shape)) : forward(input, shape);
        }

        private float[] forward(float[] input, int[] shape) {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                Tensor y = module.forward(Tensor.of(input, shape));
                return y.toFloatArray();
            }
        }
    }

    /**
     * Reads {@code dir}, builds the spec, loads the weights strictly, switches to eval and runs one
     * example of zeros and a batch of {@code warmupBatch} to find the output shape and warm the code.
     * {@code inputShapeOverride} (from serve.json) wins over the spec's own shape.
     *
     * @throws IOException when files are missing or corrupt; IllegalArgumentException when the spec,
     *     weights or shapes do not fit, each naming the directory
     */
    public static Loaded load(Path dir, int[] inputShapeOverride, int warmupBatch) throws IOException {
        dev.jumbo.nn.Model.Loaded loaded = dev.jumbo.nn.Model.read(dir);
        ModelSpec spec = loaded.spec();
        Module module = loaded.module();
        module.eval();
        int[] in = inputShapeOverride != null ? inputShapeOverride : spec.inputShape();
        if (in == null) {
            in = firstLinearInput(module);
        }
        if (in == null) {
            throw new IllegalArgumentException(dir + ": the spec has no input_shape and does not start with a Linear; "
                    + "set \"input_shape\" in serve.json");
        }
        Loaded probe = new Loaded(module, in, null);
        float[] out;
        try {
            out = probe.run(new float[probe.inputSize()], 1);
            probe.run(new float[probe.inputSize() * Math.max(1, warmupBatch)], Math.max(1, warmupBatch));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(dir + ": warm-up with input shape " + Arrays.toString(in)
                    + " failed: " + e.getMessage(), e);
        }
        int[] outShape = {out.length};
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            int[] full = new int[in.length + 1];
            full[0] = 1;
            System.arraycopy(in, 0, full, 1, in.length);
            int[] s = module.forward(Tensor.of(new float[probe.inputSize()], full)).shape();
            outShape = Arrays.copyOfRange(s, 1, s.length);
        }
        return new Loaded(module, in, outShape);
    }

    private static int[] firstLinearInput(Module m) {
        while (m instanceof Sequential s && s.size() > 0) {
            m = s.get(0);
        }
        return m instanceof Linear ? new int[] {((Number) m.config().get("in_features")).intValue()} : null;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
