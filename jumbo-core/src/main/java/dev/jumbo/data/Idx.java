package dev.jumbo.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes,
 * a type byte, the number of dimensions, then each dimension as a 32-bit int) followed by the
 * values. Only unsigned bytes (type 0x08) are supported: magic {@code 0x00000803} for images
 * {@code [N,rows,cols]}, {@code 0x00000801} for labels {@code [N]}. Gzip-compressed files are
 * recognized by their first two bytes ({@code 1f 8b}), whatever their name.
 *
 * <pre>{@code
 * Path dir = Path.of("/usr/share/datasets/fashion-mnist");
 * TensorDataset test = Idx.dataset(dir.resolve("t10k-images-idx3-ubyte.gz"),
 *         dir.resolve("t10k-labels-idx1-ubyte.gz"), 10, -1, FashionMnist.CLASSES);  // 10,000 x [1,28,28] in [0,1]
 * }</pre>
 *
 * <p>Every error names the file and what was wrong: bad magic, zero or negative dimensions,
 * truncation (fewer bytes than the header promises), trailing bytes, counts that differ between
 * the image and label files, labels out of range.
 */
public final class Idx {
    private Idx() {}

    /** The header and (a prefix of) the values of an IDX file of unsigned bytes. */
    public record IdxArray(Path file, int[] dims, byte[] values) {
        /** The number of entries along the first dimension that {@code values} holds. */
        public int count() {
            int per = 1;
            for (int i = 1; i < dims.length; i++) {
                per *= dims[i];
            }
            return values.length / per;
        }
    }

    /**
     * Reads the file's header and the values of its first {@code limit} entries along the first
     * dimension ({@code limit < 0}: all of them, and the file must end right after them).
     *
     * @param expectedRank 3 for images, 1 for labels
     */
    public static IdxArray read(Path file, int expectedRank, int limit) {
        try (InputStream raw = open(file); DataInputStream in = new DataInputStream(raw)) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw error(file, "truncated header: fewer than 4 bytes");
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != 0x08 || rank != expectedRank) {
                throw error(file, String.format("magic number 0x%08x: expected 0x%08x (unsigned bytes, %d dimensions)",
                        magic, 0x0800 | expectedRank, expectedRank));
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                try {
                    dims[i] = in.readInt();
                } catch (EOFException e) {
                    throw error(file, "truncated header: dimension " + i + " of " + rank + " is missing");
                }
                if (dims[i] <= 0) {
                    throw error(file, "dimension " + i + " is " + dims[i] + ": expected a positive size");
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw error(file, "dimensions " + Arrays.toString(dims) + " hold " + total + " values: too many for one array");
            }
            int per = (int) (total / dims[0]);
            int n = limit < 0 ? dims[0] : Math.min(limit, dims[0]);
            byte[] values = new byte[n * per];
            int got = in.readNBytes(values, 0, values.length);
            if (got < values.length) {
                throw error(file, "truncated: the header " + Arrays.toString(dims) + " promises " + total
                        + " bytes of data, the file ends after " + got);
            }
            if (limit < 0 && in.read() >= 0) {
                throw error(file, "trailing bytes after the " + total + " bytes of data the header "
                        + Arrays.toString(dims) + " promises");
            }
            return new IdxArray(file, dims, values);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("IDX file " + file + ": no such file", e);
        } catch (ZipException e) {
            throw error(file, "truncated or corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * An image dataset from an IDX image file {@code [N,rows,cols]} and a label file {@code [N]}:
     * examples of shape {@code [1,rows,cols]} scaled to [0,1], labels checked to be below
     * {@code numClasses}.
     *
     * @param limit read only the first {@code limit} examples ({@code < 0}: all; then the files
     *              must hold exactly the data their headers promise)
     */
    public static TensorDataset dataset(Path images, Path labels, int numClasses, int limit, List<String> classNames) {
        IdxArray img = read(images, 3, limit);
        IdxArray lab = read(labels, 1, limit);
        if (img.dims()[0] != lab.dims()[0]) {
            throw new IllegalArgumentException("IDX files " + images + " and " + labels + ": " + img.dims()[0]
                    + " images but " + lab.dims()[0] + " labels: expected the same count");
        }
        int n = img.count();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.values()[i] & 0xff;
            if (y[i] >= numClasses) {
                throw error(labels, "label " + y[i] + " of example " + i + " is out of range: expected 0.." + (numClasses - 1));
            }
        }
        byte[] px = img.values();
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] & 0xff) / 255f;
        }
        int[] shape = {1, img.dims()[1], img.dims()[2]};
        return new TensorDataset(images.getFileName().toString(), x, y, shape, numClasses, classNames);
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic {@code 1f 8b}. */
    static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new Gunzip(new GZIPInputStream(in, 1 << 16)), 1 << 16);
            } catch (EOFException e) {
                in.close();
                throw new ZipException("the gzip header is cut short");
            }
        }
        return in;
    }

    /**
     * A gzip stream whose premature end surfaces as a {@link ZipException}, so it is reported as
     * a damaged gzip stream rather than as a short IDX header or body.
     */
    private static final class Gunzip extends FilterInputStream {
        Gunzip(GZIPInputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException e) {
                throw new ZipException(e.getMessage());
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException e) {
                throw new ZipException(e.getMessage());
            }
        }
    }

    private static IllegalArgumentException error(Path file, String what) {
        return new IllegalArgumentException("IDX file " + file + ": " + what);
    }
}
