package dev.jumbo.estimate;

import dev.jumbo.kernels.ConvGeometry;
import dev.jumbo.kernels.Pool2d;
import dev.jumbo.nn.AdaptiveAvgPool2d;
import dev.jumbo.nn.AvgPool2d;
import dev.jumbo.nn.BasicBlock;
import dev.jumbo.nn.BatchNorm;
import dev.jumbo.nn.Bottleneck;
import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Flatten;
import dev.jumbo.nn.GELU;
import dev.jumbo.nn.Identity;
import dev.jumbo.nn.LeakyReLU;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.MaxPool2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.ReLU6;
import dev.jumbo.nn.Sequential;
import dev.jumbo.nn.Sigmoid;
import dev.jumbo.nn.Tanh;
import dev.jumbo.nn.zoo.AlexNet;
import dev.jumbo.nn.zoo.MobileNetV2;
import dev.jumbo.nn.zoo.ResNet;
import dev.jumbo.nn.zoo.VGG;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Shape inference and cost rules for a Jumbo {@link Module} tree, from each layer's configuration
 * (the model is never run): one {@link LayerRow} per op in execution order (conv, linear, norm,
 * activation, pooling, residual add, flatten), with output shape, parameters, MACs and FLOPs forward
 * and backward. Counting follows the engine's ops, so that the profiler's counts can be checked
 * against these: MACs only for conv and linear (bias excluded); FLOPs = 2 × MACs + one per output
 * element for a bias, activation or add, the pooling window per output, 5 per element for training
 * batch norm (8 backward). Backward: a conv or linear computes the weight gradient always and the
 * input gradient only when its input requires grad (not the first layer); an op without parameters
 * runs backward only when its input requires grad; an add routes its gradient (0 FLOPs).
 *
 * <pre>{@code
 * GraphWalker.Graph g = GraphWalker.walk(Zoo.create("lenet5", new Rng(1)), new int[] {1, 28, 28}, 64, 4);
 * g.rows().get(0);   // conv "0", Conv2d, [64,6,28,28], 156 params, 64*6*28*28*25 MACs
 * }</pre>
 */
public final class GraphWalker {

    /** Layer types with a cost rule (containers are walked into). */
    public static final List<String> SUPPORTED = List.of("Sequential", "Conv2d", "Linear", "BatchNorm1d",
            "BatchNorm2d", "ReLU", "ReLU6", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "MaxPool2d", "AvgPool2d",
            "AdaptiveAvgPool2d", "Flatten", "Dropout", "Identity", "BasicBlock", "Bottleneck", "InvertedResidual",
            "ResNet", "VGG", "AlexNet", "MobileNetV2");

    /**
     * The walked graph.
     *
     * @param rows            one row per op, in execution order (count 1 each)
     * @param matrixParams    parameters of conv and linear weights (quantized by int8/int4)
     * @param vectorParams    biases and norm weights (kept at fp32 by int8/int4)
     * @param savedElements   elements kept for backward in training: the input and every op's new
     *                        output (views excluded), plus max-pool indices and dropout masks
     * @param peakInferenceElements the most activation elements alive at once in an inference forward
     *                        (an op's input and output, plus a residual block's held input)
     * @param inputElements   elements of the input batch
     * @param peakGradientElements the most gradient elements alive at once in backward, on top of
     *                        the saved activations: an op's output gradient and its new input
     *                        gradient, plus the gradients held for residual shortcuts; or, when larger,
     *                        the largest weight's incoming gradient, which the engine holds while it
     *                        copies it into the weight's own gradient buffer (for an MLP at a small
     *                        batch that copy is the peak of the step)
     */
    public record Graph(List<LayerRow> rows, long matrixParams, long vectorParams, long savedElements,
                        long peakInferenceElements, long inputElements, long peakGradientElements) {
        public long params() {
            return matrixParams + vectorParams;
        }
    }

    /** An activation flowing through the walk: its shape and whether it requires grad in training. */
    private record Act(long[] shape, boolean grad) {
        long numel() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private final List<LayerRow> rows = new ArrayList<>();
    private final int elementBytes;
    private long matrixParams;
    private long vectorParams;
    private long saved;
    private long peak;
    private long peakGrad;
    /** Elements of the largest conv or linear weight (its gradient's transient copy, see {@link Graph}). */
    private long largestWeight;
    /** Elements held by enclosing residual blocks while their branch runs. */
    private long held;

    private GraphWalker(int elementBytes) {
        this.elementBytes = elementBytes;
    }

    /**
     * Walks {@code model} for a batch of {@code batch} inputs shaped {@code inputShape} (without the
     * batch dimension); activation bytes are at {@code elementBytes} per element.
     *
     * @throws IllegalArgumentException naming the layer, e.g. {@code estimate: layer 'fc' (Linear):
     *     input [2,512,7,7]: expected last dimension 512}
     */
    public static Graph walk(Module model, int[] inputShape, long batch, int elementBytes) {
        if (batch < 1) {
            throw new IllegalArgumentException("estimate: batch " + batch + ": expected >= 1");
        }
        long[] shape = new long[inputShape.length + 1];
        shape[0] = batch;
        for (int i = 0; i < inputShape.length; i++) {
            if (inputShape[i] < 1) {
                throw new IllegalArgumentException("estimate: input shape " + Arrays.toString(inputShape)
                        + ": expected positive sizes");
            }
            shape[i + 1] = inputShape[i];
        }
        GraphWalker w = new GraphWalker(elementBytes);
        Act in = new Act(shape, false);
        w.saved = in.numel();
        w.peak = in.numel();
        w.module("", model, in);
        return new Graph(List.copyOf(w.rows), w.matrixParams, w.vectorParams, w.saved, w.peak, in.numel(),
                Math.max(w.peakGrad, w.largestWeight));
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private Act module(String name, Module m, Act x) {
        return switch (m) {
            case Sequential s -> children(name, s, x, false);
            case ResNet r -> children(name, r, x, true);
            case VGG v -> children(name, v, x, true);
            case AlexNet a -> children(name, a, x, true);
            case MobileNetV2 mb -> mobileNet(name, mb, x);
            case MobileNetV2.InvertedResidual ir -> residual(name, ir.children().get("conv"), name + ".conv", x);
            case BasicBlock b -> block(name, b, x, List.of("conv1", "bn1", "relu", "conv2", "bn2"));
            case Bottleneck b -> block(name, b, x, List.of("conv1", "bn1", "relu", "conv2", "bn2", "relu", "conv3", "bn3"));
            case Conv2d c -> conv(name, c, x);
            case Linear l -> linear(name, l, x);
            case BatchNorm bn -> batchNorm(name, bn, x);
            case ReLU r -> unary(name, r, x);
            case ReLU6 r -> unary(name, r, x);
            case LeakyReLU r -> unary(name, r, x);
            case Tanh t -> unary(name, t, x);
            case Sigmoid s -> unary(name, s, x);
            case GELU g -> unary(name, g, x);
            case MaxPool2d p -> pool(name, p, p.kernelSize, p.stride, p.padding, true, x);
            case AvgPool2d p -> pool(name, p, p.kernelSize, p.stride, p.padding, false, x);
            case AdaptiveAvgPool2d p -> adaptive(name, "AdaptiveAvgPool2d", p.outputSize[0], p.outputSize[1], x);
            case Flatten f -> flatten(name, f.startDim, x);
            case Dropout d -> dropout(name, d, x);
            case Identity ignored -> x;
            default -> throw new IllegalArgumentException("estimate: layer '" + name + "' (" + m.typeName()
                    + ") has no cost rule; supported: " + String.join(", ", SUPPORTED));
        };
    }

    /** Children in registration order; zoo models flatten before "fc" / "classifier", as their forward does. */
    private Act children(String name, Module m, Act x, boolean flattenBeforeClassifier) {
        for (Map.Entry<String, Module> e : m.children().entrySet()) {
            String key = e.getKey();
            if (flattenBeforeClassifier && x.shape.length > 2 && (key.equals("fc") || key.equals("classifier"))) {
                x = flatten(join(name, "flatten"), 1, x);
            }
            x = module(join(name, key), e.getValue(), x);
        }
        return x;
    }

    private Act mobileNet(String name, MobileNetV2 m, Act x) {
        x = module(join(name, "features"), m.children().get("features"), x);
        x = adaptive(join(name, "avgpool"), "AdaptiveAvgPool2d", 1, 1, x);   // inline in its forward
        x = flatten(join(name, "flatten"), 1, x);
        return module(join(name, "classifier"), m.children().get("classifier"), x);
    }

    /** torchvision's BasicBlock / Bottleneck: the main path, the (projected) shortcut, add, relu. */
    private Act block(String name, Module b, Act x, List<String> path) {
        long before = held;
        held += x.numel();
        Act out = x;
        for (String child : path) {
            out = module(join(name, child), b.children().get(child), out);
        }
        held = before;
        Module down = b.children().get("downsample");
        Act identity = x;
        if (down != null) {
            held += out.numel();
            identity = module(join(name, "downsample"), down, x);
            held = before;
        }
        Act sum = add(join(name, "add"), out, identity);
        return module(join(name, "relu"), b.children().get("relu"), sum);
    }

    /** A branch plus its input when the shapes agree (MobileNetV2's inverted residual). */
    private Act residual(String name, Module branch, String branchName, Act x) {
        long before = held;
        held += x.numel();
        Act y = module(branchName, branch, x);
        held = before;
        return Arrays.equals(y.shape, x.shape) ? add(join(name, "add"), y, x) : y;
    }

    private Act add(String name, Act a, Act b) {
        if (!Arrays.equals(a.shape, b.shape)) {
            throw new IllegalArgumentException("estimate: layer '" + name + "': adds " + Arrays.toString(a.shape)
                    + " and " + Arrays.toString(b.shape) + ": expected equal shapes");
        }
        Act y = new Act(a.shape, a.grad || b.grad);
        live(a.numel() + b.numel(), y);
        peakGrad = Math.max(peakGrad, held + y.numel()); // the gradient is routed to both inputs, not copied
        row(name, "Add", y, 0, 0, 0, y.numel(), 0, true);
        return y;
    }

    private Act conv(String name, Conv2d c, Act x) {
        if (x.shape.length != 4 || x.shape[1] != c.inChannels) {
            throw bad(name, "Conv2d", x, "[N," + c.inChannels + ",H,W]");
        }
        int[] k = c.kernelSize;
        long oh = ConvGeometry.outSize((int) x.shape[2], k[0], c.stride[0], c.padding[0], c.dilation[0]);
        long ow = ConvGeometry.outSize((int) x.shape[3], k[1], c.stride[1], c.padding[1], c.dilation[1]);
        if (oh < 1 || ow < 1) {
            throw bad(name, "Conv2d", x, "a padded input at least as large as the kernel " + Arrays.toString(k));
        }
        Act y = new Act(new long[] {x.shape[0], c.outChannels, oh, ow}, true);
        long macs = y.numel() * (c.inChannels / c.groups) * k[0] * k[1];
        return product(name, "Conv2d", x, y, c.weight.numel(), c.bias == null ? 0 : c.bias.numel(), macs);
    }

    private Act linear(String name, Linear l, Act x) {
        if (x.shape[x.shape.length - 1] != l.inFeatures) {
            throw bad(name, "Linear", x, "last dimension " + l.inFeatures);
        }
        long[] s = x.shape.clone();
        s[s.length - 1] = l.outFeatures;
        Act y = new Act(s, true);
        long macs = y.numel() * l.inFeatures;
        return product(name, "Linear", x, y, l.weight.numel(), l.bias == null ? 0 : l.bias.numel(), macs);
    }

    /** Conv or linear: weight gradient always, input gradient only when the input requires grad. */
    private Act product(String name, String type, Act x, Act y, long weights, long biases, long macs) {
        matrixParams += weights;
        vectorParams += biases;
        largestWeight = Math.max(largestWeight, weights);
        long biasFlops = biases > 0 ? y.numel() : 0;
        long bwdMacs = macs + (x.grad ? macs : 0);
        live(x.numel(), y);
        liveGrad(x.numel(), x.grad, y);
        row(name, type, y, weights + biases, macs, bwdMacs, 2 * macs + biasFlops, 2 * bwdMacs + biasFlops, true);
        return y;
    }

    private Act batchNorm(String name, BatchNorm bn, Act x) {
        if (x.shape.length < 2 || x.shape[1] != bn.numFeatures) {
            throw bad(name, bn.typeName(), x, "[N," + bn.numFeatures + ",...]");
        }
        boolean affine = bn.weight != null;
        long params = affine ? 2L * bn.numFeatures : 0;
        vectorParams += params;
        Act y = new Act(x.shape, x.grad || affine);
        live(x.numel(), y);
        liveGrad(x.numel(), x.grad, y);
        row(name, bn.typeName(), y, params, 0, 0, 5 * y.numel(), y.grad ? 8 * y.numel() : 0, true);
        return y;
    }

    private Act unary(String name, Module m, Act x) {
        Act y = new Act(x.shape, x.grad);
        live(x.numel(), y);
        liveGrad(x.numel(), x.grad, y);
        row(name, m.typeName(), y, 0, 0, 0, y.numel(), x.grad ? y.numel() : 0, true);
        return y;
    }

    private Act pool(String name, Module m, int[] k, int[] s, int[] p, boolean max, Act x) {
        if (x.shape.length != 4) {
            throw bad(name, m.typeName(), x, "[N,C,H,W]");
        }
        long oh = Pool2d.outSize((int) x.shape[2], k[0], s[0], p[0]);
        long ow = Pool2d.outSize((int) x.shape[3], k[1], s[1], p[1]);
        if (oh < 1 || ow < 1) {
            throw bad(name, m.typeName(), x, "a padded input at least as large as the window " + Arrays.toString(k));
        }
        Act y = new Act(new long[] {x.shape[0], x.shape[1], oh, ow}, x.grad);
        long window = y.numel() * k[0] * k[1];
        live(x.numel(), y);
        liveGrad(x.numel(), x.grad, y);
        if (max && x.grad) {
            saved += y.numel(); // the argmax indices (int32) kept for backward
        }
        row(name, m.typeName(), y, 0, 0, 0, window, x.grad ? (max ? y.numel() : window) : 0, true);
        return y;
    }

    private Act adaptive(String name, String type, int outH, int outW, Act x) {
        if (x.shape.length != 4) {
            throw bad(name, type, x, "[N,C,H,W]");
        }
        Act y = new Act(new long[] {x.shape[0], x.shape[1], outH, outW}, x.grad);
        long window = x.shape[0] * x.shape[1] * windowSum(x.shape[2], outH) * windowSum(x.shape[3], outW);
        live(x.numel(), y);
        liveGrad(x.numel(), x.grad, y);
        row(name, type, y, 0, 0, 0, window, x.grad ? window : 0, true);
        return y;
    }

    /** Sum over output positions of the adaptive window length: [floor(i*in/out), ceil((i+1)*in/out)). */
    static long windowSum(long in, long out) {
        long s = 0;
        for (long i = 0; i < out; i++) {
            s += Math.ceilDiv((i + 1) * in, out) - Math.floorDiv(i * in, out);
        }
        return s;
    }

    private Act flatten(String name, int startDim, Act x) {
        int start = startDim < 0 ? startDim + x.shape.length : startDim;
        if (start < 0 || start >= x.shape.length) {
            throw bad(name, "Flatten", x, "rank above start_dim " + startDim);
        }
        long[] s = Arrays.copyOf(x.shape, start + 1);
        for (int d = start + 1; d < x.shape.length; d++) {
            s[start] *= x.shape[d];
        }
        Act y = new Act(s, x.grad);
        row(name, "Flatten", y, 0, 0, 0, 0, 0, false); // a view: no new memory, no work
        return y;
    }

    private Act dropout(String name, Dropout d, Act x) {
        if (d.p == 0) {
            return x;
        }
        Act y = new Act(x.shape, x.grad);
        live(x.numel(), y);
        liveGrad(x.numel(), x.grad, y);
        if (x.grad) {
            saved += y.numel(); // the mask kept for backward
        }
        row(name, "Dropout", y, 0, 0, 0, y.numel(), x.grad ? y.numel() : 0, true);
        return y;
    }

    /**
     * Liveness. Inference: the op's input and output and any held residual inputs coexist. Backward:
     * the op's output gradient, its input gradient (when the input requires grad) and the gradients
     * held for residual shortcuts.
     */
    private void live(long inputElements, Act y) {
        peak = Math.max(peak, held + inputElements + y.numel());
    }

    private void liveGrad(long inputElements, boolean inputGrad, Act y) {
        peakGrad = Math.max(peakGrad, held + y.numel() + (inputGrad ? inputElements : 0));
    }

    private void row(String name, String type, Act y, long params, long macs, long bwdMacs, long flops,
                     long bwdFlops, boolean newTensor) {
        if (newTensor) {
            saved += y.numel();
        }
        rows.add(new LayerRow(name, type, y.shape, 1, params, params, macs, bwdMacs,
                newTensor ? y.numel() * elementBytes : 0, flops, bwdFlops));
    }

    private static IllegalArgumentException bad(String name, String type, Act x, String expected) {
        return new IllegalArgumentException("estimate: layer '" + name + "' (" + type + "): input "
                + Arrays.toString(x.shape).replace(" ", "") + ": expected " + expected);
    }
}
