package dev.jumbo.cli;

import dev.jumbo.estimate.EngineValidation;
import dev.jumbo.estimate.HardwareProfile;
import dev.jumbo.estimate.LlmConfig;
import dev.jumbo.estimate.LlmEstimator;
import dev.jumbo.estimate.ModelEstimator;
import dev.jumbo.estimate.OptimizerState;
import dev.jumbo.estimate.Report;
import dev.jumbo.estimate.ReportHtml;
import dev.jumbo.estimate.ReportJson;
import dev.jumbo.estimate.ReportText;
import dev.jumbo.estimate.WeightFormat;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo estimate --config llama2-7b.json --seq 4096 --batch 1 --dtype bf16 --devices 8xH100
 * --tokens 2e12 [--json] [--html out.html]}: parameters, compute, memory, a parallelism plan and
 * time for a transformer LLM from its Hugging Face config ({@link LlmEstimator}).
 * {@code jumbo estimate --model resnet50 --input 3x224x224 --batch 64 [--optimizer adam]
 * [--images-per-s 1000] [--validate]} or {@code --spec my-model.json --input 1x28x28}: per-layer
 * cost and memory of a Jumbo model ({@link ModelEstimator}), optionally checked against the engine
 * ({@link EngineValidation}).
 */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Size a model: an LLM from its config.json (parameters, MACs/FLOPs, memory, parallelism plan, time), "
                + "or a Jumbo model (--model zoo name or --spec file) per layer.")
public final class EstimateCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Hugging Face-style config.json (gpt2, bert, llama, mistral, mixtral, qwen2).")
    Path config;

    @Option(names = "--model", paramLabel = "NAME", description = "A zoo model: mlp, lenet5, vgg_small, resnet_small, resnet18/34/50/101, vgg16, alexnet, mobilenet_v2.")
    String model;

    @Option(names = "--spec", paramLabel = "FILE", description = "A model spec JSON (a layer list or {\"zoo\": name}).")
    Path specFile;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape without the batch, e.g. 3x224x224 (default: the zoo's or the spec's).")
    String input;

    @Option(names = "--optimizer", defaultValue = "adam", description = "Optimizer state for training memory: sgd, momentum, adam, adamw, rmsprop, rmsprop-centered (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--images-per-s", defaultValue = "0", description = "Images/s whose input bandwidth to report.")
    double imagesPerSecond;

    @Option(names = "--validate", description = "Also run a forward pass and one training step under the profiler and compare (batch 2 or --batch if smaller).")
    boolean validate;

    @Option(names = "--seq", defaultValue = "2048", description = "Sequence length / context (default ${DEFAULT-VALUE}).")
    long seq;

    @Option(names = "--batch", defaultValue = "1", description = "Sequences per forward; the micro-batch for training (default ${DEFAULT-VALUE}).")
    long batch;

    @Option(names = "--dtype", description = "Weights: fp32, bf16, fp16, int8 (ggml Q8_0), int4 (ggml Q4_0) (default: bf16 for --config, fp32 for a model).")
    String dtype;

    @Option(names = "--devices", paramLabel = "NxHW", description = "Devices to plan for, e.g. 8xH100, 64xA100-40GB, 1xlocal (profiles: a100-40gb, a100-80gb, h100-sxm, h200, l4, local).")
    String devices;

    @Option(names = "--tokens", defaultValue = "0", description = "Training tokens D, e.g. 2e12 (default: no training-time figures).")
    double tokens;

    @Option(names = "--mfu", defaultValue = "0.40", description = "Model-FLOPs utilization for training time (default ${DEFAULT-VALUE}).")
    double mfu;

    @Option(names = "--global-batch", defaultValue = "0", description = "Sequences per optimizer step (default: 4M tokens / seq).")
    long globalBatch;

    @Option(names = "--json", description = "Print the figures as one JSON line.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with per-layer bar charts.")
    Path html;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int sources = (config != null ? 1 : 0) + (model != null ? 1 : 0) + (specFile != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException("estimate: " + (sources == 0 ? "no model given" : "more than one model given")
                    + ": expected exactly one of --config FILE, --model NAME, --spec FILE");
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("estimate: --tokens " + tokens + ": expected >= 0");
        }
        Report r;
        boolean valid = true;
        if (config != null) {
            HardwareProfile.Devices d = devices == null ? null : HardwareProfile.devices(devices);
            r = LlmEstimator.report(LlmConfig.read(config),
                    new LlmEstimator.Options(seq, batch, WeightFormat.parse(dtype == null ? "bf16" : dtype), d, tokens, mfu, globalBatch));
        } else {
            String name = model != null ? model : specFile.getFileName().toString();
            Module net = model != null ? ModelEstimator.zooModel(model) : null;
            int[] shape = input != null ? ModelEstimator.parseShape(input) : model != null ? Zoo.inputShape(model) : null;
            if (specFile != null) {
                ModelSpec ms = ModelEstimator.spec(specFile);
                net = ms.build(new Rng(0));
                shape = shape != null ? shape : ms.inputShape();
                if (shape == null) {
                    throw new IllegalArgumentException("estimate: --spec " + specFile + " has no input_shape: expected --input, e.g. 1x28x28");
                }
            }
            OptimizerState opt = OptimizerState.parse(optimizer);
            r = ModelEstimator.report(name, net, shape,
                    new ModelEstimator.Options(batch, WeightFormat.parse(dtype == null ? "fp32" : dtype), opt, imagesPerSecond));
            if (validate) {
                EngineValidation.Result v = EngineValidation.run(name, net, shape, (int) Math.min(batch, 2), opt);
                valid = v.ok();
                if (!valid) {
                    spec.commandLine().getErr().println("estimate: validation failed: " + v.line());
                }
                List<Report.Section> sections = new ArrayList<>(r.sections());
                sections.add(validationSection(v));
                r = new Report(r.title(), r.estimate(), sections, r.plan());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (html != null) {
            Path tmp = Files.createTempFile(html.toAbsolutePath().getParent(), ".estimate", ".html");
            Files.writeString(tmp, ReportHtml.render(r));
            Files.move(tmp, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().println("estimate: wrote " + html);
        }
        out.println(json ? ReportJson.render(r) : ReportText.render(r));
        out.flush();
        return valid ? 0 : 1;
    }

    private static Report.Section validationSection(EngineValidation.Result v) {
        return new Report.Section("Validation against the engine's profiler (fp32, batch " + v.batch() + ", "
                + v.optimizer() + ": forward, then forward + cross-entropy + backward + step)", "validation", List.of(
                new Report.Figure("batch", "batch", v.batch(), ""),
                new Report.Figure("macs_forward_estimated", "forward MACs, estimated", v.estimatedForwardMacs(), "MACs"),
                new Report.Figure("macs_forward_counted", "forward MACs, counted", v.countedForwardMacs(), "MACs"),
                new Report.Figure("macs_training_step_estimated", "training step MACs, estimated", v.estimatedStepMacs(), "MACs"),
                new Report.Figure("macs_training_step_counted", "training step MACs, counted", v.countedStepMacs(), "MACs"),
                new Report.Figure("flops_forward_all_ops_estimated", "forward FLOPs all ops, estimated", v.estimatedForwardFlops(), "FLOPs"),
                new Report.Figure("flops_forward_all_ops_counted", "forward FLOPs all ops, counted", v.countedForwardFlops(), "FLOPs"),
                new Report.Figure("training_bytes_estimated", "training memory, estimated", v.estimatedTrainingBytes(), "bytes"),
                new Report.Figure("peak_bytes_measured", "peak live tensor memory, measured", v.measuredPeakBytes(), "bytes"),
                new Report.Figure("memory_ratio", "measured / estimated memory", v.memoryRatio(), ""),
                new Report.Figure("ok", "MACs exact and memory within 15%", v.ok(), "")));
    }
}
