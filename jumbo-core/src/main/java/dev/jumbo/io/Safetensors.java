package dev.jumbo.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jumbo.tensor.DType;
import dev.jumbo.tensor.SegmentStorage;
import dev.jumbo.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes Hugging Face's safetensors format: an 8-byte little-endian header length N, N
 * bytes of UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets"}} (plus
 * an optional {@code "__metadata__"} object of strings), padded with spaces to a multiple of 8,
 * then the little-endian, row-major data of every tensor back to back.
 *
 * <p>Writing is atomic ({@link AtomicFiles}) and streams through one 1 MiB direct buffer. Tensors
 * are laid out as the reference writer lays them out -- float32 before int32 (descending dtype
 * alignment), then by name in UTF-8 byte order -- so the same tensors give the same bytes as
 * {@code safetensors.torch.save_file} (metadata keys are written sorted). Float tensors are
 * written as F32 and int tensors as I32.
 *
 * <p>Reading checks the whole header before trusting any number (see {@link CorruptFileException}
 * for the messages) and accepts F32, F16, BF16, F64 (as float32) and I32, I64, U32, I16, U16, I8,
 * U8, BOOL (as int32, exact; I64/U32 values outside int32 are an error).
 *
 * <pre>{@code
 * Safetensors.write(dir.resolve("model.safetensors"), model.stateDict(), Map.of("format", "pt"));
 * SafetensorsFile f = Safetensors.read(dir.resolve("model.safetensors"));
 * Tensor w = f.get("fc1.weight");
 * try (Arena arena = Arena.ofShared()) {               // multi-GB files: mapped, not copied
 *     Tensor big = Safetensors.map(path, arena).get("lm_head.weight");
 * }
 * }</pre>
 */
public final class Safetensors {
    static final int CHUNK = 1 << 20;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final JsonFactory JSON = new JsonFactory();

    private Safetensors() {}

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Atomically writes {@code tensors} (float32 as F32, int32 as I32; views are written as their
     * row-major values) and {@code metadata} (may be empty) to {@code file}.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> order = layout(file, tensors);
        byte[] header = header(order, metadata);
        AtomicFiles.writeChannel(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong((long) header.length).put(header).flip();
            writeFully(ch, buf);
            for (Map.Entry<String, Tensor> e : order) {
                writeData(ch, e.getValue(), buf);
            }
        });
    }

    /** Reads every tensor of {@code file} onto the heap; the file is closed when this returns. */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader h = SafetensorsHeader.read(file, ch);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            MemorySegment chunk = MemorySegment.ofBuffer(buf);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : h.entries.values()) {
                int n = e.numel();
                int per = CHUNK / e.dtype().size();
                Object dst = e.dtype().readsAsFloat() ? new float[n] : new int[n];
                for (int i = 0; i < n; i += per) {
                    int m = Math.min(per, n - i);
                    buf.clear().limit(m * e.dtype().size());
                    SafetensorsHeader.readFully(file, ch, buf, h.dataStart + e.begin() + (long) i * e.dtype().size());
                    decode(h, e, chunk, 0, dst, i, m);
                }
                out.put(e.name(), dst instanceof float[] f ? Tensor.of(f, e.shape()) : Tensor.ofInts((int[]) dst, e.shape()));
            }
            return new SafetensorsFile(h, out, null);
        }
    }

    /**
     * Memory-maps {@code file} for the lifetime of {@code arena}: F32 tensors are views of the
     * mapping ({@link SegmentStorage}, nothing copied to the heap); other dtypes are converted to
     * the heap each time {@link SafetensorsFile#get} asks for them. The file must not be truncated
     * while mapped (the checks run once, here).
     */
    public static SafetensorsFile map(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader h = SafetensorsHeader.read(file, ch);
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, h.dataStart, ch.size() - h.dataStart, arena);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : h.entries.values()) {
                if (e.dtype() == SafetensorsDtype.F32) {
                    MemorySegment slice = data.asSlice(e.begin(), e.end() - e.begin());
                    out.put(e.name(), Tensor.wrap(new SegmentStorage(slice, e.numel()), e.shape()));
                }
            }
            return new SafetensorsFile(h, out, data);
        }
    }

    /** Decodes {@code n} elements, starting at element {@code first} of {@code e}, from {@code src} at byte {@code at}. */
    static void decode(SafetensorsHeader h, SafetensorsHeader.Entry e, MemorySegment src, long at, Object dst, int first, int n)
            throws CorruptFileException {
        if (dst instanceof float[] f) {
            e.dtype().toFloats(src, at, f, first, n);
        } else {
            e.dtype().toInts(src, at, (int[]) dst, first, n, h.file + ": tensor \"" + e.name() + "\"", first);
        }
    }

    /** The reference writer's order: descending dtype alignment (F32 before I32), then UTF-8 name bytes. */
    private static List<Map.Entry<String, Tensor>> layout(Path file, Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException(file + ": tensor name " + (name == null ? "null" : "\"" + name + "\"")
                        + " cannot be written: \"" + SafetensorsHeader.METADATA_KEY + "\" is reserved");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(file + ": tensor \"" + name + "\" is null");
            }
            DType dt = e.getValue().dtype();
            if (dt != DType.FLOAT32 && dt != DType.INT32) {
                throw new IllegalArgumentException(file + ": tensor \"" + name + "\" holds " + dt
                        + ", expected FLOAT32 or INT32");
            }
            order.add(e);
        }
        Comparator<Map.Entry<String, Tensor>> byDtype = Comparator.comparing(e -> e.getValue().dtype() == DType.FLOAT32 ? 0 : 1);
        order.sort(byDtype.thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return order;
    }

    /** The JSON header in the reference writer's compact form, space-padded to a multiple of 8 bytes. */
    static byte[] header(List<Map.Entry<String, Tensor>> order, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (metadata != null && !metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long at = 0;
            for (Map.Entry<String, Tensor> e : order) {
                Tensor t = e.getValue();
                long bytes = 4L * t.numel();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "I32");
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(at);
                g.writeNumber(at + bytes);
                g.writeEndArray();
                g.writeEndObject();
                at += bytes;
            }
            g.writeEndObject();
        }
        while (out.size() % 8 != 0) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    /** Streams one tensor's row-major values through {@code buf}: no full-size temporary unless it is a view. */
    private static void writeData(WritableByteChannel ch, Tensor tensor, ByteBuffer buf) throws IOException {
        Tensor t = tensor.detach(); // a view copy below must not be recorded on the autograd tape
        int n = t.numel();
        MemorySegment chunk = MemorySegment.ofBuffer(buf.clear());
        if (t.storage() instanceof SegmentStorage s && t.isContiguous()) {
            MemorySegment src = s.segment();
            for (long at = 4L * t.offset(), end = at + 4L * n; at < end; at += CHUNK) {
                int m = (int) Math.min(CHUNK, end - at);
                MemorySegment.copy(src, at, chunk, 0, m);
                writeFully(ch, buf.clear().limit(m));
            }
            return;
        }
        Tensor c = t.contiguous();
        boolean ints = c.dtype() == DType.INT32;
        Object src = ints ? c.intData() : c.data();
        int per = CHUNK / 4;
        for (int i = 0; i < n; i += per) {
            int m = Math.min(per, n - i);
            MemorySegment.copy(src, c.offset() + i, chunk, ints ? I32_LE : F32_LE, 0, m);
            writeFully(ch, buf.clear().limit(4 * m));
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
