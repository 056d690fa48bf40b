package dev.jumbo.serve;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Triton-layout model repository: {@code <root>/<name>/<version>/} version directories (numeric
 * names) as {@code jumbo train --out} writes them, and an optional {@code <root>/<name>/serve.json}.
 * Names and versions are checked against strict patterns before they touch the file system, so a
 * request cannot reach outside the repository.
 *
 * <pre>{@code
 * ModelRepository repo = new ModelRepository(Path.of("models"));
 * repo.models();              // ["fashion", "mlp"]
 * repo.versions("fashion");   // [1, 2]
 * }</pre>
 */
public final class ModelRepository {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");

    private final Path root;

    public ModelRepository(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.root)) {
            throw new IOException(root + ": model repository is not a directory");
        }
    }

    public Path root() {
        return root;
    }

    /** Whether {@code name} is a well-formed model name (letters, digits, {@code _ . -}, not starting with a dot). */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /** Parses a version path segment, or -1 when it is not a version number. */
    public static long parseVersion(String v) {
        return v != null && VERSION.matcher(v).matches() ? Long.parseLong(v) : -1;
    }

    /** The model names in the repository (directories with a valid name), sorted. */
    public List<String> models() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (validName(n) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(n);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Whether the repository has a model directory {@code name} (false for invalid names). */
    public boolean has(String name) {
        return validName(name) && Files.isDirectory(root.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** The model's directory; {@code name} must be valid. */
    public Path modelDir(String name) {
        if (!validName(name)) {
            throw ServeException.badRequest("invalid model name '" + name + "': expected letters, digits, _ . -");
        }
        return root.resolve(name);
    }

    /** The version numbers with a {@code spec.json}, ascending. */
    public List<Long> versions(String name) throws IOException {
        List<Long> out = new ArrayList<>();
        Path dir = modelDir(name);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long v = parseVersion(p.getFileName().toString());
                if (v >= 0 && Files.isRegularFile(p.resolve("spec.json"))) {
                    out.add(v);
                }
            }
        }
        out.sort(null);
        return out;
    }
}
