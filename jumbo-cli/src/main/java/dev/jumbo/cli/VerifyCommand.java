package dev.jumbo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.serve.ModelLoader;
import dev.jumbo.serve.RegressionGate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jumbo verify}: the regression gate between two model version directories (the same gate
 * the server runs on load). Exit code 0 when the candidate passes, 1 when it does not.
 *
 * <pre>{@code
 * ./jumbo verify --candidate models/fashion/2 --baseline models/fashion/1 --data fashion-mnist --json
 * }</pre>
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare a candidate model version with a baseline: test accuracy, prediction agreement "
                + "and latency against thresholds; exit code 0 (pass) or 1 (fail).")
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--candidate", required = true, description = "Candidate version directory (spec.json + model.safetensors).")
    Path candidate;

    @Option(names = "--baseline", required = true, description = "Baseline version directory.")
    Path baseline;

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "Evaluation data (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--limit", defaultValue = "1000", description = "Test examples used (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--max-accuracy-drop", defaultValue = "0.01", description = "Default: ${DEFAULT-VALUE}.")
    double maxAccuracyDrop;

    @Option(names = "--min-agreement", defaultValue = "0.0", description = "Default: ${DEFAULT-VALUE}.")
    double minAgreement;

    @Option(names = "--max-latency-ratio", defaultValue = "3.0", description = "Default: ${DEFAULT-VALUE}.")
    double maxLatencyRatio;

    @Option(names = "--json", description = "Print the result as one JSON line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelLoader.Loaded c = ModelLoader.load(candidate, null, 1);
        ModelLoader.Loaded b = ModelLoader.load(baseline, null, 1);
        RegressionGate.Result r = RegressionGate.run(c, b, RegressionGate.data(data, limit),
                new RegressionGate.Thresholds(maxAccuracyDrop, minAgreement, maxLatencyRatio, limit));
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> m = r.toMap();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.printf("%-26s %s%n", "candidate", candidate);
            out.printf("%-26s %s%n", "baseline", baseline);
            m.forEach((k, v) -> out.printf("%-26s %s%n", k, v instanceof Double d ? String.format("%.4f", d) : v));
            out.println(r.passed() ? "PASS" : "FAIL: " + String.join("; ", r.failures()));
        }
        out.flush();
        return r.passed() ? 0 : 1;
    }
}
