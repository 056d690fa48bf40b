package dev.jumbo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.tensor.DType;
import dev.jumbo.tensor.SegmentStorage;
import dev.jumbo.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format byte for byte, files built by hand per the public spec, and every corruption we check. */
class SafetensorsTest {

    @TempDir
    Path dir;

    /** 8-byte little-endian length + header (as given, no padding added) + data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).put(data).array();
    }

    static byte[] le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytesPerValue * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPerValue) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Path save(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void roundTripOfFloatIntScalarEmptyAndViewTensors() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("layer.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("layer.bias", Tensor.vector(-0.5f, Float.NaN, Float.NEGATIVE_INFINITY));
        in.put("num_batches_tracked", Tensor.ofInts(new int[] {42}));
        in.put("labels", Tensor.ofInts(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2));
        in.put("scale", Tensor.scalar(3.25f));
        in.put("empty", Tensor.zeros(0));
        in.put("empty2d", Tensor.zeros(3, 0));
        in.put("transposed", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t()); // non-contiguous view
        in.put("narrowed", Tensor.arange(10).narrow(0, 3, 4)); // non-zero offset
        Path p = dir.resolve("m.safetensors");
        Safetensors.write(p, in, Map.of("format", "pt", "jumbo", "1"));

        SafetensorsFile f = Safetensors.read(p);
        assertThat(f.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "jumbo", "1"));
        // Reference layout: F32 tensors by name, then I32 tensors by name.
        assertThat(f.names()).containsExactly("empty", "empty2d", "layer.bias", "layer.weight", "narrowed", "scale",
                "transposed", "labels", "num_batches_tracked");
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor got = f.get(e.getKey());
            assertThat(got.shape()).as(e.getKey()).containsExactly(e.getValue().shape());
            assertThat(got.dtype()).as(e.getKey()).isEqualTo(e.getValue().dtype());
            if (got.dtype() == DType.INT32) {
                assertThat(got.toIntArray()).as(e.getKey()).containsExactly(e.getValue().toIntArray());
            } else {
                assertThat(got.toFloatArray()).as(e.getKey()).containsExactly(e.getValue().toFloatArray());
            }
        }
        assertThat(f.dtype("labels")).isEqualTo(SafetensorsDtype.I32);
        assertThat(f.shape("scale")).isEmpty();
        assertThat(f.get("transposed").toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);

        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile m = Safetensors.map(p, arena);
            assertThat(m.get("layer.weight").storage()).isInstanceOf(SegmentStorage.class);
            assertThat(m.get("layer.weight").toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(m.get("scale").item()).isEqualTo(3.25f);
            assertThat(m.get("labels").toIntArray()).containsExactly(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE);
            assertThat(m.get("empty2d").shape()).containsExactly(3, 0);
            // A mapped tensor written again goes straight from the mapping to the new file.
            Path copy = dir.resolve("copy.safetensors");
            Safetensors.write(copy, m.tensors(), m.metadata());
            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(p));
        }
    }

    @Test
    void bytesMatchTheSpecExactly() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("step", Tensor.ofInts(new int[] {7}, new int[0])); // rank-0 int32
        in.put("b", Tensor.vector(1f, -2f));
        in.put("a", Tensor.zeros(0));
        Path p = dir.resolve("tiny.safetensors");
        Safetensors.write(p, in, Map.of("format", "pt"));

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"step\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        int pad = (8 - json.length() % 8) % 8;
        String header = json + " ".repeat(pad);
        byte[] data = {
            0x00, 0x00, (byte) 0x80, 0x3f,        // 1.0f  = 0x3f800000, little-endian
            0x00, 0x00, 0x00, (byte) 0xc0,        // -2.0f = 0xc0000000
            0x07, 0x00, 0x00, 0x00};              // 7
        byte[] expected = file(header, data);
        assertThat(Files.readAllBytes(p)).isEqualTo(expected);
        assertThat((8 + header.length()) % 8).isZero();
        // Insertion order does not change the bytes.
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        reversed.put("a", in.get("a"));
        reversed.put("b", in.get("b"));
        reversed.put("step", in.get("step"));
        Path q = dir.resolve("again.safetensors");
        Safetensors.write(q, reversed, Map.of("format", "pt"));
        assertThat(Files.readAllBytes(q)).isEqualTo(expected);
    }

    @Test
    void readsTheReferenceDocumentationExample() throws IOException {
        // The file in the doc comment of the reference SafeTensors::deserialize: I32 [2,2], no padding.
        String header = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        assertThat(header.length()).isEqualTo('<'); // its length byte is '<' = 60
        SafetensorsFile f = Safetensors.read(save("doc.safetensors", file(header, new byte[16])));
        assertThat(f.get("test").toIntArray()).containsExactly(0, 0, 0, 0);
        assertThat(f.metadata()).isEmpty();
    }

    @Test
    void readsHalfBfloatAndIntegerTypesWrittenByOthers() throws IOException {
        // Header in arbitrary order, pretty-printed with spaces and padded, as other writers may do.
        String json = """
                {"h": {"dtype": "F16", "shape": [5], "data_offsets": [0, 10]},
                 "__metadata__": {"format": "pt", "note": "caf\u00e9"},
                 "bf": {"dtype": "BF16", "shape": [3], "data_offsets": [10, 16]},
                 "big": {"dtype": "I64", "shape": [2], "data_offsets": [16, 32]},
                 "u": {"dtype": "U8", "shape": [2], "data_offsets": [32, 34]},
                 "i": {"dtype": "I8", "shape": [2], "data_offsets": [34, 36]},
                 "mask": {"dtype": "BOOL", "shape": [2], "data_offsets": [36, 38]},
                 "d": {"dtype": "F64", "shape": [1], "data_offsets": [38, 46]}}""";
        String header = json + " ".repeat((8 - json.getBytes(StandardCharsets.UTF_8).length % 8) % 8);
        byte[] data = concat(
                le(2, 0x3c00, 0xc100, 0x7bff, 0x0400, 0x0001),  // F16: 1, -2.5, 65504, 2^-14, 2^-24
                le(2, 0x3f80, 0xc040, 0x3e20),                  // BF16: 1, -3, 0.15625
                le(8, -5, Integer.MAX_VALUE),                   // I64
                le(1, 0, 255),                                  // U8
                le(1, -128, 127),                               // I8
                le(1, 1, 0),                                    // BOOL
                le(8, Double.doubleToLongBits(0.1)));           // F64
        Path p = save("ref.safetensors", file(header, data));
        for (SafetensorsFile f : List.of(Safetensors.read(p), Safetensors.map(p, Arena.ofAuto()))) {
            assertThat(f.metadata()).containsEntry("note", "café");
            assertThat(f.names()).containsExactly("h", "bf", "big", "u", "i", "mask", "d");
            assertThat(f.get("h").toFloatArray()).containsExactly(1f, -2.5f, 65504f, 0x1p-14f, 0x1p-24f);
            assertThat(f.get("bf").toFloatArray()).containsExactly(1f, -3f, 0.15625f);
            assertThat(f.get("big").toIntArray()).containsExactly(-5, Integer.MAX_VALUE);
            assertThat(f.get("u").toIntArray()).containsExactly(0, 255);
            assertThat(f.get("i").toIntArray()).containsExactly(-128, 127);
            assertThat(f.get("mask").toIntArray()).containsExactly(1, 0);
            assertThat(f.get("d").toFloatArray()).containsExactly(0.1f);
            assertThat(f.dtype("bf")).isEqualTo(SafetensorsDtype.BF16);
            assertThat(f.get("h").dtype()).isEqualTo(DType.FLOAT32);
            assertThat(f.get("u").dtype()).isEqualTo(DType.INT32);
        }
    }

    @Test
    void anInt64OutsideInt32IsAnErrorNamingTheElement() throws IOException {
        Path p = save("i64.safetensors", file("{\"x\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                le(8, 1, 1L << 40)));
        assertThatThrownBy(() -> Safetensors.read(p)).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("i64.safetensors: tensor \"x\": element 1 is 1099511627776, outside int32");
    }

    @Test
    void askingForAMissingTensorListsWhatIsThere() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Safetensors.write(p, Map.of("w", Tensor.zeros(2)));
        assertThatThrownBy(() -> Safetensors.read(p).get("v")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("m.safetensors: no tensor \"v\": it holds [w]");
    }

    @Test
    void writingRejectsTheReservedNameAndLeavesTheOldFile() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Safetensors.write(p, Map.of("w", Tensor.vector(1, 2)));
        byte[] before = Files.readAllBytes(p);
        assertThatThrownBy(() -> Safetensors.write(p, Map.of("__metadata__", Tensor.zeros(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly("m.safetensors");
        }
    }

    @Test
    void aTruncatedFileNeverLoads() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Safetensors.write(p, Map.of("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "n", Tensor.ofInts(new int[] {1, 2}, 2)), Map.of("k", "v"));
        byte[] full = Files.readAllBytes(p);
        for (int cut = 0; cut < full.length; cut++) {
            Path t = save("cut.safetensors", Arrays.copyOf(full, cut));
            assertThatThrownBy(() -> Safetensors.read(t)).as("cut at %d", cut)
                    .isInstanceOf(CorruptFileException.class).hasMessageContaining("cut.safetensors");
            assertThatThrownBy(() -> Safetensors.map(t, Arena.ofAuto())).as("map cut at %d", cut)
                    .isInstanceOf(CorruptFileException.class);
        }
        assertThatThrownBy(() -> Safetensors.read(save("cut.safetensors", Arrays.copyOf(full, full.length - 3))))
                .hasMessageContaining("truncated: tensor data ends at byte " + full.length);
    }
}
