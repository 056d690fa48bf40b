package dev.jumbo.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader sees either the complete old file or the complete new one, never a
 * mix, and a crash or an exception in the middle leaves the old file untouched.
 *
 * <p>How: the content goes to a temp file {@code .<name>.<random>.tmp} in the target's directory
 * (same file system, so the rename is atomic), is forced to disk ({@code FileChannel.force(true)}),
 * then renamed over the target with {@code ATOMIC_MOVE}; finally the directory itself is fsynced
 * so the rename survives a power cut (skipped where the platform cannot open a directory, e.g.
 * Windows). On any failure the temp file is deleted and the exception propagates.
 *
 * <pre>{@code
 * AtomicFiles.writeString(dir.resolve("spec.json"), json);
 * AtomicFiles.write(dir.resolve("log.bin"), out -> out.write(bytes));
 * AtomicFiles.writeChannel(dir.resolve("big.bin"), ch -> ch.write(directBuffer));
 * }</pre>
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /**
     * Runs {@code writer} on a buffered stream into a temp file, then atomically replaces
     * {@code target}. The stream need not (but may) be closed by the writer.
     */
    public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
        writeChannel(target, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(new NonClosingChannel(ch)), 1 << 16);
            writer.accept(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len); // FilterOutputStream would write byte by byte
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the channel stays open until the file is forced
                }
            });
            out.flush();
        });
    }

    /**
     * Runs {@code writer} on a channel into a temp file, then atomically replaces {@code target}.
     * The channel need not (but may) be closed by the writer; what it wrote is forced to disk first.
     */
    public static void writeChannel(Path target, IoConsumer<WritableByteChannel> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": parent directory " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new IOException(target + ": is a directory, expected a file path");
        }
        Path temp = tempSibling(abs, TEMP_SUFFIX);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.accept(new NonClosingChannel(ch));
                ch.force(true);
            }
            move(temp, abs);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
        fsyncDirectory(dir);
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        writeChannel(target, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    /** Atomically replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renames {@code from} to {@code to} atomically, replacing a file at {@code to}. A file system
     * without atomic rename is an error rather than a silent non-atomic copy.
     */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(to + ": the file system cannot rename atomically from " + from, e);
        }
    }

    /** Forces a directory's entries (renames, creations) to disk where the platform allows it. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            // Windows cannot open a directory as a channel; NTFS journals renames itself.
        }
    }

    /** Forces one existing file's content to disk. */
    static void fsyncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** A fresh hidden name beside {@code target}: {@code .<name>.<16 hex digits><suffix>}. */
    static Path tempSibling(Path target, String suffix) {
        String rand = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return target.resolveSibling("." + target.getFileName() + "." + rand + suffix);
    }

    /** Hides close() from the writer so the file can still be forced after it returns. */
    private record NonClosingChannel(WritableByteChannel ch) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) throws IOException {
            return ch.write(src);
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() {}
    }
}
