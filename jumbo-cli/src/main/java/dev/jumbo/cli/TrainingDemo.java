package dev.jumbo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The training stage of {@code jumbo demo}: installs Fashion-MNIST when it is missing, then runs the
 * real {@code jumbo train} (LeNet-5, AdamW, cosine schedule) and reads its JSON summary, so the demo
 * shows exactly what a user's own training run does: progress bar, run directory, test accuracy.
 */
final class TrainingDemo {

    /** The figures of the {@code jumbo train --json} summary. */
    record Result(JsonNode summary, Path runDir) {}

    private TrainingDemo() {}

    static Result run(int epochs, int limit, long seed, Path runDir, PrintWriter err) throws Exception {
        FashionMnist data = FashionMnist.installed();
        if (!data.isInstalled()) {
            err.println("  Fashion-MNIST is not installed; installing it (" + FashionMnist.INSTALL_COMMAND + ")");
            data.install(err);
        }
        StringWriter out = new StringWriter();
        CommandLine train = JumboCli.commandLine();
        train.setOut(new PrintWriter(out, true));
        train.setErr(err);
        int code = train.execute("train", "--model", "lenet5", "--data", "fashion-mnist",
                "--epochs", String.valueOf(epochs), "--limit", String.valueOf(limit), "--batch", "64",
                "--optimizer", "adamw", "--lr", "2e-3", "--schedule", "cosine", "--seed", String.valueOf(seed),
                "--out", runDir.toString(), "--json");
        if (code != 0) {
            throw new IllegalStateException("demo: the training stage failed (jumbo train exited with " + code + ")");
        }
        String[] lines = out.toString().strip().split("\\R");
        return new Result(new ObjectMapper().readTree(lines[lines.length - 1]), runDir);
    }
}
