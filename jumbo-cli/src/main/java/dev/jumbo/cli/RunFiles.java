package dev.jumbo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.DatasetMissingException;
import dev.jumbo.data.Datasets;
import dev.jumbo.nn.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What train, eval and predict share: run.json, locating a run's model, datasets with install hints. */
final class RunFiles {
    static final String RUN_JSON = "run.json";
    static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {}

    /** The model directory of {@code run}: {@code best/} with {@code best}, else {@code model/}, else run itself. */
    static Path modelDir(Path run, boolean best) {
        Path b = run.resolve("best");
        if (best) {
            if (!Files.isDirectory(b)) {
                throw new IllegalArgumentException(run + ": no best/ model directory (the run had no validation set?)");
            }
            return b;
        }
        return Files.isDirectory(run.resolve(Model.RUN_MODEL)) ? run.resolve(Model.RUN_MODEL) : run;
    }

    /** A field of {@code run.json}, or null. */
    static String runField(Path run, String field) {
        Path f = run.resolve(RUN_JSON);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(f.toFile()).get(field);
            return n == null || n.isNull() ? null : n.asText();
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
        }
    }

    /** Loads a packaged dataset split, or prints the install command and returns null. */
    static Dataset dataset(String name, boolean train, int limit, PrintWriter err) {
        try {
            return train ? Datasets.train(name, limit) : Datasets.test(name, limit);
        } catch (DatasetMissingException e) {
            err.println("jumbo: " + e.getMessage());
            err.println("jumbo: install it with: " + e.installCommand());
            err.flush();
            return null;
        }
    }

    /** Checks that a dataset's examples have the model's input shape. */
    static void checkShape(String what, Dataset data, int[] inputShape) {
        if (inputShape != null && !Arrays.equals(data.exampleShape(), inputShape)) {
            throw new IllegalArgumentException(what + ": examples have shape " + Arrays.toString(data.exampleShape())
                    + ", the model expects input " + Arrays.toString(inputShape));
        }
    }
}
