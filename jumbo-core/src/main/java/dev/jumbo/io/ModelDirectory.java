package dev.jumbo.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model on disk: a directory holding {@code spec.json} (the architecture, a JSON document the
 * caller builds), {@code model.safetensors} (the weights) and optional extra files, written so a
 * reader sees the complete old directory or the complete new one, never a mix.
 *
 * <p>How: every file is written and fsynced into a fresh hidden sibling {@code .<name>.<random>.tmp-dir};
 * then the old directory (if any) is renamed to {@code .<name>.previous}, the new one is renamed to
 * {@code <name>}, the parent directory is fsynced and the previous version deleted. A directory
 * cannot be renamed over a non-empty one, hence two renames; if the process dies between them,
 * {@code <name>} is briefly absent and {@code .<name>.previous} holds the complete old version:
 * {@link #read} falls back to it and the next {@link #write} cleans it up. One writer per directory
 * at a time is assumed (concurrent readers are fine).
 *
 * <pre>{@code
 * ModelDirectory.write(runDir.resolve("best"), specJson, model.stateDict());
 * ModelDirectory.Contents m = ModelDirectory.read(runDir.resolve("best"));
 * Module net = Specs.build(m.spec()); net.loadStateDict(m.weights());
 * }</pre>
 */
public final class ModelDirectory {
    public static final String SPEC = "spec.json";
    public static final String WEIGHTS = "model.safetensors";

    private static final String PREVIOUS = ".previous";
    private static final String TEMP = ".tmp-dir";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private ModelDirectory() {}

    /**
     * What a model directory holds. {@code dir} is where it was read from ({@code .<name>.previous}
     * when the reader fell back to the last complete version); {@code extraFiles} maps each other
     * regular file's name to its bytes.
     */
    public record Contents(Path dir, String spec, Map<String, Tensor> weights, Map<String, String> metadata,
            Map<String, byte[]> extraFiles) {}

    /** {@link #write(Path, String, Map, Map, Map)} with no metadata and no extra files. */
    public static void write(Path dir, String spec, Map<String, Tensor> weights) throws IOException {
        write(dir, spec, weights, Map.of(), Map.of());
    }

    /**
     * Atomically replaces (or creates) {@code dir} with {@code spec} (must be valid JSON) as
     * {@code spec.json}, {@code weights} and {@code metadata} as {@code model.safetensors}, and each
     * extra file (a plain name such as {@code labels.txt}).
     */
    public static void write(Path dir, String spec, Map<String, Tensor> weights, Map<String, String> metadata,
            Map<String, byte[]> extraFiles) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        checkSpec(target.resolve(SPEC), spec);
        for (String name : extraFiles.keySet()) {
            if (!SIMPLE_NAME.matcher(name).matches() || name.equals(SPEC) || name.equals(WEIGHTS)) {
                throw new IllegalArgumentException(target + ": extra file name \"" + name
                        + "\": expected a plain file name other than " + SPEC + " and " + WEIGHTS);
            }
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(target.toString(), null, "parent directory does not exist");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + ": exists and is not a directory, expected a model directory");
        }
        removeStaleTemps(target);
        Path temp = AtomicFiles.tempSibling(target, TEMP);
        Files.createDirectory(temp);
        boolean done = false;
        try {
            AtomicFiles.writeString(temp.resolve(SPEC), spec);
            Safetensors.write(temp.resolve(WEIGHTS), weights, metadata);
            for (Map.Entry<String, byte[]> e : new TreeMap<>(extraFiles).entrySet()) {
                AtomicFiles.writeBytes(temp.resolve(e.getKey()), e.getValue());
            }
            AtomicFiles.fsyncDirectory(temp);
            swapIn(temp, target);
            done = true;
        } finally {
            if (!done) {
                deleteTree(temp);
            }
        }
    }

    /** Reads the spec and all weights onto the heap. Errors name the file that is missing or corrupt. */
    public static Contents read(Path dir) throws IOException {
        return load(dir, null);
    }

    /** Like {@link #read}, but float32 weights are memory-mapped for the lifetime of {@code arena}. */
    public static Contents map(Path dir, Arena arena) throws IOException {
        return load(dir, arena);
    }

    private static Contents load(Path dir, Arena arena) throws IOException {
        try {
            return loadFrom(resolve(dir), arena);
        } catch (NoSuchFileException e) {
            // A writer may have swapped the directory between our opens: try once more.
            return loadFrom(resolve(dir), arena);
        }
    }

    private static Path resolve(Path dir) throws NoSuchFileException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            return target;
        }
        Path previous = sibling(target, PREVIOUS);
        if (Files.isDirectory(previous)) {
            return previous; // a write died between its two renames: this is the last complete version
        }
        throw new NoSuchFileException(dir.toString(), null, "model directory does not exist");
    }

    private static Contents loadFrom(Path dir, Arena arena) throws IOException {
        Path specFile = dir.resolve(SPEC);
        Path weightsFile = dir.resolve(WEIGHTS);
        for (Path p : new Path[] {specFile, weightsFile}) {
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null,
                        "missing: a model directory holds " + SPEC + " and " + WEIGHTS);
            }
        }
        String spec;
        try {
            spec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(specFile))).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFileException(specFile + ": not valid UTF-8", e);
        }
        checkSpec(specFile, spec);
        SafetensorsFile weights = arena == null ? Safetensors.read(weightsFile) : Safetensors.map(weightsFile, arena);
        Map<String, byte[]> extras = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (!name.equals(SPEC) && !name.equals(WEIGHTS) && !name.startsWith(".") && Files.isRegularFile(p)) {
                    extras.put(name, Files.readAllBytes(p));
                }
            }
        }
        return new Contents(dir, spec, weights.tensors(), weights.metadata(), new LinkedHashMap<>(extras));
    }

    private static void checkSpec(Path specFile, String spec) throws CorruptFileException {
        if (spec.isBlank()) {
            throw new CorruptFileException(specFile + ": empty, expected a JSON model spec");
        }
        try {
            JSON.readTree(spec);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(specFile + ": not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
    }

    /** Puts the complete directory {@code temp} at {@code target}, keeping the old one until the new one is in place. */
    private static void swapIn(Path temp, Path target) throws IOException {
        Path previous = sibling(target, PREVIOUS);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(previous); // left by a write that died after its swap, before cleaning up
            AtomicFiles.move(target, previous);
            try {
                AtomicFiles.move(temp, target);
            } catch (IOException e) {
                AtomicFiles.move(previous, target);
                throw e;
            }
        } else {
            AtomicFiles.move(temp, target); // any .previous is older than what we just wrote
        }
        AtomicFiles.fsyncDirectory(target.getParent());
        deleteTree(previous);
    }

    /** Deletes temp directories that earlier writes to {@code target} left behind when they died. */
    private static void removeStaleTemps(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP))) {
            for (Path p : siblings) {
                deleteTree(p);
            }
        }
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + suffix);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
