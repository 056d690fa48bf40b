package dev.jumbo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path tmp;

    /** An IDX file: magic, dims, then the bytes (big-endian ints, as the format says). */
    static byte[] idx(int magic, int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        out.flush();
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    /** Three 2x3 images with pixel values i*6 + k, labels 2, 0, 1. */
    private Path[] writeToy(boolean gz) throws IOException {
        byte[] px = new byte[3 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 15);
        }
        byte[] images = idx(0x803, new int[] {3, 2, 3}, px);
        byte[] labels = idx(0x801, new int[] {3}, new byte[] {2, 0, 1});
        Path pi = tmp.resolve(gz ? "img.gz" : "img");
        Path pl = tmp.resolve(gz ? "lab.gz" : "lab");
        Files.write(pi, gz ? gzip(images) : images);
        Files.write(pl, gz ? gzip(labels) : labels);
        return new Path[] {pi, pl};
    }

    @Test
    void readsHandWrittenRawAndGzipFilesAlike() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path[] f = writeToy(gz);
            TensorDataset d = Idx.dataset(f[0], f[1], 3, -1, List.of());
            assertThat(d.size()).isEqualTo(3);
            assertThat(d.exampleShape()).containsExactly(1, 2, 3);
            assertThat(d.labels()).containsExactly(2, 0, 1);
            float[] x = new float[6];
            d.read(1, x, 0);
            for (int k = 0; k < 6; k++) {
                assertThat(x[k]).isEqualTo((6 + k) * 15 / 255f);
            }
            assertThat(d.get(2).input().shape()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void limitReadsOnlyAPrefix() throws IOException {
        Path[] f = writeToy(true);
        TensorDataset d = Idx.dataset(f[0], f[1], 3, 2, List.of());
        assertThat(d.labels()).containsExactly(2, 0);
    }

    @Test
    void pixel255ScalesToOne() throws IOException {
        Path pi = tmp.resolve("i");
        Path pl = tmp.resolve("l");
        Files.write(pi, idx(0x803, new int[] {1, 1, 2}, new byte[] {(byte) 255, 0}));
        Files.write(pl, idx(0x801, new int[] {1}, new byte[] {0}));
        assertThat(Idx.dataset(pi, pl, 1, -1, List.of()).get(0).input().toFloatArray()).containsExactly(1f, 0f);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void badMagicIsNamed() throws IOException {
        Path p = write("bad", idx(0x0d03, new int[] {1, 1, 1}, new byte[] {0}));
        assertThatThrownBy(() -> Idx.read(p, 3, -1)).hasMessageContaining(p.toString())
                .hasMessageContaining("magic number 0x00000d03: expected 0x00000803");
        Path labels = write("labels-as-images", idx(0x801, new int[] {1}, new byte[] {0}));
        assertThatThrownBy(() -> Idx.read(labels, 3, -1)).hasMessageContaining("magic number 0x00000801");
    }

    @Test
    void truncatedFilesAreNamedWithWhatIsMissing() throws IOException {
        byte[] full = idx(0x803, new int[] {2, 2, 2}, new byte[8]);
        Path data = write("short-data", Arrays.copyOf(full, full.length - 3));
        assertThatThrownBy(() -> Idx.read(data, 3, -1)).hasMessageContaining(data.toString())
                .hasMessageContaining("truncated: the header [2, 2, 2] promises 8 bytes of data, the file ends after 5");
        Path header = write("short-header", Arrays.copyOf(full, 9));
        assertThatThrownBy(() -> Idx.read(header, 3, -1)).hasMessageContaining(header.toString())
                .hasMessageContaining("truncated header: dimension 1 of 3 is missing");
        Path empty = write("empty", new byte[2]);
        assertThatThrownBy(() -> Idx.read(empty, 3, -1)).hasMessageContaining("truncated header");
        byte[] gz = gzip(full);
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> Idx.read(cut, 3, -1)).hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated or corrupt gzip stream");
    }

    @Test
    void trailingBytesZeroDimensionsAndMismatchedCountsAreErrors() throws IOException {
        Path extra = write("extra", idx(0x803, new int[] {1, 1, 2}, new byte[3]));
        assertThatThrownBy(() -> Idx.read(extra, 3, -1)).hasMessageContaining(extra.toString())
                .hasMessageContaining("trailing bytes");
        Path zero = write("zero", idx(0x803, new int[] {1, 0, 2}, new byte[0]));
        assertThatThrownBy(() -> Idx.read(zero, 3, -1)).hasMessageContaining("dimension 1 is 0: expected a positive size");
        Path img = write("img", idx(0x803, new int[] {2, 1, 1}, new byte[2]));
        Path lab = write("lab", idx(0x801, new int[] {3}, new byte[3]));
        assertThatThrownBy(() -> Idx.dataset(img, lab, 10, -1, List.of()))
                .hasMessageContaining("2 images but 3 labels");
    }

    @Test
    void labelOutOfRangeNamesFileExampleAndValue() throws IOException {
        Path img = write("img", idx(0x803, new int[] {2, 1, 1}, new byte[2]));
        Path lab = write("lab", idx(0x801, new int[] {2}, new byte[] {3, 12}));
        assertThatThrownBy(() -> Idx.dataset(img, lab, 10, -1, List.of())).hasMessageContaining(lab.toString())
                .hasMessageContaining("label 12 of example 1 is out of range: expected 0..9");
    }

    @Test
    void missingFileIsNamed() {
        Path p = tmp.resolve("nope.gz");
        assertThatThrownBy(() -> Idx.read(p, 3, -1)).hasMessageContaining(p + ": no such file");
    }

    @Test
    void readsTheRealFashionMnistTestSlice() {
        FashionMnist fm = FashionMnist.installed();
        assumeTrue(fm.isInstalled(), "Fashion-MNIST is not installed (" + FashionMnist.INSTALL_COMMAND + "); .ci/run installs it");
        TensorDataset d = fm.testSet(1000);
        assertThat(d.size()).isEqualTo(1000);
        assertThat(d.exampleShape()).containsExactly(1, 28, 28);
        assertThat(d.classNames()).hasSize(10);
        // The first test labels of Fashion-MNIST: ankle boot, pullover, trouser, trouser, shirt.
        assertThat(Arrays.copyOf(d.labels(), 5)).containsExactly(9, 2, 1, 1, 6);
        int[] counts = d.classCounts();
        assertThat(Arrays.stream(counts).min().getAsInt()).isGreaterThan(50);
        float[] x = new float[784];
        d.read(0, x, 0);
        float min = 1;
        float max = 0;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isLessThanOrEqualTo(1f).isGreaterThan(0.5f);
    }
}
