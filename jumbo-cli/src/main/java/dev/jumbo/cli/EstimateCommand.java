package dev.jumbo.cli;

import dev.jumbo.estimate.HardwareProfile;
import dev.jumbo.estimate.LlmConfig;
import dev.jumbo.estimate.LlmEstimator;
import dev.jumbo.estimate.Report;
import dev.jumbo.estimate.ReportHtml;
import dev.jumbo.estimate.ReportJson;
import dev.jumbo.estimate.ReportText;
import dev.jumbo.estimate.WeightFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo estimate --config llama2-7b.json --seq 4096 --batch 1 --dtype bf16 --devices 8xH100
 * --tokens 2e12 [--json] [--html out.html]}: parameters, compute, memory, a parallelism plan and
 * time for a transformer LLM from its Hugging Face config ({@link LlmEstimator}).
 */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Size an LLM from its config.json: parameters, MACs/FLOPs, memory, parallelism plan, time.")
public final class EstimateCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Hugging Face-style config.json (gpt2, bert, llama, mistral, mixtral, qwen2).")
    Path config;

    @Option(names = "--seq", defaultValue = "2048", description = "Sequence length / context (default ${DEFAULT-VALUE}).")
    long seq;

    @Option(names = "--batch", defaultValue = "1", description = "Sequences per forward; the micro-batch for training (default ${DEFAULT-VALUE}).")
    long batch;

    @Option(names = "--dtype", defaultValue = "bf16", description = "Weights: fp32, bf16, fp16, int8 (ggml Q8_0), int4 (ggml Q4_0) (default ${DEFAULT-VALUE}).")
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
        if (tokens < 0) {
            throw new IllegalArgumentException("estimate: --tokens " + tokens + ": expected >= 0");
        }
        HardwareProfile.Devices d = devices == null ? null : HardwareProfile.devices(devices);
        Report r = LlmEstimator.report(LlmConfig.read(config),
                new LlmEstimator.Options(seq, batch, WeightFormat.parse(dtype), d, tokens, mfu, globalBatch));
        PrintWriter out = spec.commandLine().getOut();
        if (html != null) {
            Path tmp = Files.createTempFile(html.toAbsolutePath().getParent(), ".estimate", ".html");
            Files.writeString(tmp, ReportHtml.render(r));
            Files.move(tmp, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().println("estimate: wrote " + html);
        }
        out.println(json ? ReportJson.render(r) : ReportText.render(r));
        out.flush();
        return 0;
    }
}
