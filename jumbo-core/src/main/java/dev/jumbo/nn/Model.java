package dev.jumbo.nn;

import dev.jumbo.io.ModelDirectory;
import dev.jumbo.tensor.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads models as model directories: {@code spec.json} (a {@link ModelSpec}),
 * {@code model.safetensors} (the state dict) and optionally {@code classes.txt} (one class name per
 * line), replaced atomically by {@link ModelDirectory}.
 *
 * <pre>{@code
 * Model.save(Path.of("runs/lenet5/model"), net, FashionMnist.CLASSES);
 * Module again = Model.load(Path.of("runs/lenet5"));       // a run directory: its model/ subdirectory
 * Model.Loaded m = Model.read(Path.of("runs/lenet5/best")); // with spec, input shape and class names
 * }</pre>
 *
 * Errors name the file and what is wrong (a missing or corrupt file, an unknown layer in the spec,
 * weights that do not fit the spec).
 */
public final class Model {
    /** The model subdirectory of a training run directory. */
    public static final String RUN_MODEL = "model";
    public static final String CLASSES = "classes.txt";

    private Model() {}

    /** A loaded model, its spec, its class names (empty when none were saved) and the directory read. */
    public record Loaded(Module module, ModelSpec spec, List<String> classNames, Path dir) {
        /** Input shape without the batch dimension, or null when the spec does not say. */
        public int[] inputShape() {
            return spec.inputShape();
        }
    }

    /** Writes {@code model} (a zoo model or a Sequential of spec layers) to {@code dir}, creating its parents. */
    public static void save(Path dir, Module model, List<String> classNames) throws IOException {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String spec = ModelSpec.of(model).toJson();
        Map<String, byte[]> extra = classNames.isEmpty() ? Map.of()
                : Map.of(CLASSES, (String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8));
        ModelDirectory.write(dir, spec, model.stateDict(), Map.of("format", "pt"), extra);
    }

    /** The module stored in {@code dir} (a model directory, or a run directory holding {@code model/}). */
    public static Module load(Path dir) throws IOException {
        return read(dir).module();
    }

    /** Like {@link #load}, with the spec and class names. */
    public static Loaded read(Path dir) throws IOException {
        Path d = dir;
        if (!Files.isRegularFile(dir.resolve(ModelDirectory.SPEC)) && Files.isDirectory(dir.resolve(RUN_MODEL))) {
            d = dir.resolve(RUN_MODEL);
        }
        ModelDirectory.Contents c = ModelDirectory.read(d);
        Path specFile = c.dir().resolve(ModelDirectory.SPEC);
        ModelSpec spec = ModelSpec.fromJson(c.spec(), specFile.toString());
        Module m = spec.build(new Rng(0));
        try {
            m.loadStateDict(c.weights(), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(c.dir().resolve(ModelDirectory.WEIGHTS) + ": " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        byte[] cls = c.extraFiles().get(CLASSES);
        if (cls != null) {
            for (String line : new String(cls, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    classes.add(line.strip());
                }
            }
        }
        m.eval();
        return new Loaded(m, spec, List.copyOf(classes), c.dir());
    }
}
