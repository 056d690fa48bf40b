package dev.jumbo.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code jumbo data <name>} reports about an installed dataset: each file with its size and
 * SHA-256 against the expected one, each split's example count and per-class counts, and the
 * problems found (empty when everything matches).
 */
public record DatasetCheck(String dataset, Path location, List<FileCheck> files, List<SplitCount> splits,
        List<String> classNames, List<String> problems) {

    /** One file: its name, size, observed and expected SHA-256 (hex). */
    public record FileCheck(String file, long bytes, String sha256, String expectedSha256) {
        public boolean ok() {
            return sha256.equals(expectedSha256);
        }
    }

    /** One split: how many examples it has, how many it should have, and how many per class. */
    public record SplitCount(String split, int count, int expected, int[] perClass) {
        public boolean ok() {
            return count == expected;
        }
    }

    /** True when every checksum and count matches. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The SHA-256 of a file's bytes, as lowercase hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("sha256: " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha256: this JVM has no SHA-256", e);
        }
    }

    /** Checks one file's checksum, adding a problem naming the file on a mismatch. */
    static FileCheck checkFile(Path file, String expected, List<String> problems) {
        String got = sha256(file);
        FileCheck fc;
        try {
            fc = new FileCheck(file.getFileName().toString(), Files.size(file), got, expected);
        } catch (IOException e) {
            throw new UncheckedIOException("sha256: " + file + ": " + e.getMessage(), e);
        }
        if (!fc.ok()) {
            problems.add(file + ": SHA-256 " + got + ": expected " + expected);
        }
        return fc;
    }

    /** Counts one split, adding a problem when its size is not the expected one. */
    static SplitCount countSplit(String split, Dataset d, int expected, List<String> problems) {
        SplitCount sc = new SplitCount(split, d.size(), expected, d.classCounts());
        if (!sc.ok()) {
            problems.add(split + ": " + d.size() + " examples: expected " + expected);
        }
        return sc;
    }
}
