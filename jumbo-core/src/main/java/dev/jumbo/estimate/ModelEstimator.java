package dev.jumbo.estimate;

import dev.jumbo.nn.Module;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model-graph estimator for Jumbo models (a zoo name or a spec file) at an input shape and
 * batch: per-layer rows from {@link GraphWalker}, totals, memory for inference and training, and
 * the input bandwidth a given images/s needs, as one {@link Report}.
 *
 * <p>Memory. Inference: weights at the chosen format + the peak activations alive at once.
 * Training at fp32: fp32 weights, gradients and {@code k} fp32 optimizer buffers per parameter
 * ({@link OptimizerState}: sgd 0, momentum 1, adam/adamw 2, rmsprop 1, centered 2); at bf16/fp16
 * (and int8/int4, which are inference formats: training then runs in 16-bit mixed precision)
 * 16-bit weights and gradients + an fp32 master copy + fp32 buffers. Activations saved for backward:
 * the input and every op's new output (views excluded), max-pool indices and dropout masks; plus
 * the activation gradients alive at once in backward (an op's output and input gradients and those
 * held for residual shortcuts); at 4 bytes (fp32) or 2 bytes per element.
 *
 * <pre>{@code
 * Module net = ModelEstimator.zooModel("resnet50");
 * Estimate e = ModelEstimator.estimate("resnet50", net, new int[] {3, 224, 224},
 *         new ModelEstimator.Options(1, WeightFormat.FP32, OptimizerState.ADAM, 0));
 * e.paramsTotal();   // 25,557,032
 * e.macsForward();   // 4,089,184,256 (conv + linear)
 * }</pre>
 */
public final class ModelEstimator {

    private ModelEstimator() {}

    /**
     * @param batch         images per batch
     * @param format        weight format (activations fp32 for fp32, 16-bit otherwise)
     * @param optimizer     optimizer whose state the training memory holds
     * @param imagesPerSecond images/s whose input bandwidth to report (0: none)
     */
    public record Options(long batch, WeightFormat format, OptimizerState optimizer, double imagesPerSecond) {
        public Options {
            if (batch < 1) {
                throw new IllegalArgumentException("estimate: --batch " + batch + ": expected >= 1");
            }
            if (!(imagesPerSecond >= 0)) {
                throw new IllegalArgumentException("estimate: --images-per-s " + imagesPerSecond + ": expected >= 0");
            }
        }
    }

    /** A zoo model by name (seed 0); an unknown name is an error listing the zoo. */
    public static Module zooModel(String name) {
        if (!Zoo.names().contains(name)) {
            throw new IllegalArgumentException("estimate: --model '" + name + "': unknown model; expected one of "
                    + String.join(", ", Zoo.names()));
        }
        return Zoo.create(name, new Rng(0));
    }

    /** A model built from a spec file; errors name the file and the field. */
    public static ModelSpec spec(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("estimate: --spec " + file + ": no such file");
        }
        return ModelSpec.fromJson(Files.readString(file), file.toString());
    }

    /** Parses {@code 3x224x224} (or {@code 3,224,224}). */
    public static int[] parseShape(String s) {
        String[] parts = s.trim().split("[x,×]");
        int[] out = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Integer.parseInt(parts[i].trim());
                if (out[i] < 1) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("estimate: --input '" + s + "': expected positive sizes like 3x224x224");
        }
        return out;
    }

    /** Rows, totals and memory of {@code model} at {@code inputShape} (without the batch dimension). */
    public static Estimate estimate(String name, Module model, int[] inputShape, Options o) {
        int eb = o.format().activationBytes();
        GraphWalker.Graph g = GraphWalker.walk(model, inputShape, o.batch(), eb);
        return new Estimate(name, o.batch(), 0, g.rows(), memory(g, o));
    }

    static Memory memory(GraphWalker.Graph g, Options o) {
        long p = g.params();
        int eb = o.format().activationBytes();
        int k = o.optimizer().buffers();
        boolean fp32 = o.format() == WeightFormat.FP32;
        long weights = Math.multiplyExact(p, fp32 ? 4 : 2);
        long grads = weights;
        long optimizer = Math.multiplyExact(p, 4L * k + (fp32 ? 0 : 4));
        long activations = Math.multiplyExact(g.savedElements() + g.peakGradientElements(), eb);
        long inferenceWeights = o.format().bytes(g.matrixParams(), g.vectorParams());
        long inference = inferenceWeights + Math.multiplyExact(g.peakInferenceElements(), eb);
        return new Memory(weights, grads, optimizer, activations, 0, 0,
                weights + grads + optimizer + activations, inference);
    }

    /** The estimate with its sections, ready for {@link ReportText}, {@link ReportJson}, {@link ReportHtml}. */
    public static Report report(String name, Module model, int[] inputShape, Options o) {
        int eb = o.format().activationBytes();
        GraphWalker.Graph g = GraphWalker.walk(model, inputShape, o.batch(), eb);
        Estimate e = new Estimate(name, o.batch(), 0, g.rows(), memory(g, o));
        List<Report.Section> sections = new ArrayList<>();
        sections.add(new Report.Section("Parameters", null, List.of(
                f("params_total", "parameters, total", e.paramsTotal(), ""),
                f("params_matrix", "  in conv and linear weights", g.matrixParams(), ""),
                f("params_vector", "  in biases and norm weights", g.vectorParams(), ""))));
        sections.add(compute(e));
        sections.add(memorySection(e, g, o));
        sections.add(byDtype(g, o));
        if (o.imagesPerSecond() > 0) {
            sections.add(input(inputShape, o));
        }
        String title = "jumbo estimate: " + name + ", input " + shape(inputShape) + ", batch " + o.batch() + ", "
                + o.format().label() + ", " + o.optimizer().label();
        return new Report(title, e, sections, null);
    }

    private static Report.Section compute(Estimate e) {
        long bwdFlops = e.flopsTrainingStepAllOps() - e.flopsForwardAllOps();
        return new Report.Section("Compute per batch (1 MAC = 2 FLOPs; MACs = conv + linear products; "
                + "backward from each op's own rule)", null, List.of(
                f("macs_forward", "forward MACs (conv + linear)", e.macsForward(), "MACs"),
                f("flops_forward", "forward FLOPs of the products (2 x MACs)", e.flopsForward(), "FLOPs"),
                f("flops_forward_all_ops", "forward FLOPs, all ops (+ bias, batch norm, activations, pooling, adds)",
                        e.flopsForwardAllOps(), "FLOPs"),
                f("macs_backward", "backward MACs (weight grads; input grads except the first layer)", e.macsBackward(), "MACs"),
                f("macs_training_step", "training step MACs (forward + backward)", e.macsTrainingStep(), "MACs"),
                f("flops_training_step", "training step FLOPs of the products (2 x MACs)", e.flopsTrainingStep(), "FLOPs"),
                f("flops_backward_all_ops", "backward FLOPs, all ops", bwdFlops, "FLOPs"),
                f("flops_training_step_all_ops", "training step FLOPs, all ops", e.flopsTrainingStepAllOps(), "FLOPs"),
                f("backward_to_forward", "backward / forward MACs", (double) e.macsBackward() / e.macsForward(), "")));
    }

    private static Report.Section memorySection(Estimate e, GraphWalker.Graph g, Options o) {
        Memory m = e.memory();
        boolean fp32 = o.format() == WeightFormat.FP32;
        String precision = fp32 ? "fp32" : "16-bit mixed precision with an fp32 master copy";
        return new Report.Section("Memory, one device (training: " + precision + ", " + o.optimizer().label() + " with "
                + o.optimizer().buffers() + " state buffer(s) per parameter)", "memory", List.of(
                f("weights_bytes", "weights (training copy)", m.weightsBytes(), "bytes"),
                f("gradients_bytes", "gradients", m.gradientsBytes(), "bytes"),
                f("optimizer_bytes", "optimizer state" + (fp32 ? "" : " + fp32 master weights"), m.optimizerBytes(), "bytes"),
                f("activations_bytes", "activations: saved for backward + peak activation gradients", m.activationsBytes(), "bytes"),
                f("activations_saved_bytes", "  saved for backward (input + every op output)",
                        g.savedElements() * o.format().activationBytes(), "bytes"),
                f("activation_gradients_peak_bytes", "  activation gradients alive at once in backward",
                        g.peakGradientElements() * o.format().activationBytes(), "bytes"),
                f("total_training_bytes", "total for training", m.totalTrainingBytes(), "bytes"),
                f("activations_inference_peak_bytes", "peak activations alive in an inference forward",
                        g.peakInferenceElements() * o.format().activationBytes(), "bytes"),
                f("total_inference_bytes", "total for inference (" + o.format().label() + " weights + peak activations)",
                        m.totalInferenceBytes(), "bytes")));
    }

    private static Report.Section byDtype(GraphWalker.Graph g, Options o) {
        List<Report.Figure> fs = new ArrayList<>();
        for (WeightFormat w : WeightFormat.values()) {
            Memory m = memory(g, new Options(o.batch(), w, o.optimizer(), 0));
            String l = w.label();
            fs.add(f(l + "_weights_bytes", l + " weights", w.bytes(g.matrixParams(), g.vectorParams()), "bytes"));
            fs.add(f(l + "_inference_bytes", l + " inference total", m.totalInferenceBytes(), "bytes"));
            fs.add(f(l + "_training_bytes", l + " training total" + (w.quantized() ? " (trains in 16-bit)" : ""),
                    m.totalTrainingBytes(), "bytes"));
        }
        return new Report.Section("Memory by weight format (int8 = Q8_0, int4 = Q4_0 blocks; vectors fp32)", "by_dtype", fs);
    }

    private static Report.Section input(int[] inputShape, Options o) {
        long elements = Arrays.stream(inputShape).asLongStream().reduce(1, Math::multiplyExact);
        double ips = o.imagesPerSecond();
        return new Report.Section("Input data for " + ReportText.number(ips) + " images/s", "input", List.of(
                f("images_per_s", "images per second", ips, ""),
                f("bytes_per_image_uint8", "bytes per image, 8-bit pixels (decoded)", elements, "bytes"),
                f("bytes_per_image_fp32", "bytes per image as an fp32 tensor", 4 * elements, "bytes"),
                f("bytes_per_s_uint8", "input bandwidth, 8-bit pixels", elements * ips, "bytes/s"),
                f("bytes_per_s_fp32", "input bandwidth, fp32 tensors", 4 * elements * ips, "bytes/s"),
                f("batches_per_s", "batches per second", ips / o.batch(), "")));
    }

    static String shape(int[] s) {
        StringBuilder sb = new StringBuilder();
        for (int v : s) {
            sb.append(sb.isEmpty() ? "" : "x").append(v);
        }
        return sb.toString();
    }

    private static Report.Figure f(String key, String label, Object value, String unit) {
        return new Report.Figure(key, label, value, unit);
    }

}
