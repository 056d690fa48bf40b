package dev.jumbo.io;

import dev.jumbo.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The tensors of one safetensors file, read by {@link Safetensors#read} (all on the heap) or
 * {@link Safetensors#map} (float32 tensors are views of the mapped file). Names are in data-offset
 * order, the order of the bytes in the file.
 *
 * <pre>{@code
 * SafetensorsFile f = Safetensors.read(path);
 * for (String name : f.names()) System.out.println(name + " " + f.dtype(name) + " " + Arrays.toString(f.shape(name)));
 * Map<String, Tensor> stateDict = f.tensors();
 * }</pre>
 */
public final class SafetensorsFile {
    private final SafetensorsHeader header;
    private final Map<String, Tensor> loaded;
    private final MemorySegment mapped;

    SafetensorsFile(SafetensorsHeader header, Map<String, Tensor> loaded, MemorySegment mapped) {
        this.header = header;
        this.loaded = loaded;
        this.mapped = mapped;
    }

    /** The file this was read from. */
    public Path path() {
        return header.file;
    }

    /** The {@code "__metadata__"} strings (empty when the file has none). */
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /** Tensor names in file order. */
    public List<String> names() {
        return List.copyOf(header.entries.keySet());
    }

    public boolean contains(String name) {
        return header.entries.containsKey(name);
    }

    /** The shape of tensor {@code name} as stored. */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /** The element type of tensor {@code name} in the file (the tensor itself is float32 or int32). */
    public SafetensorsDtype dtype(String name) {
        return entry(name).dtype();
    }

    /**
     * Tensor {@code name}: float32 for floating dtypes, int32 for integer and boolean ones. In a
     * mapped file a non-F32 tensor is converted anew on each call.
     */
    public Tensor get(String name) {
        SafetensorsHeader.Entry e = entry(name);
        Tensor t = loaded.get(name);
        if (t != null) {
            return t;
        }
        int n = e.numel();
        Object dst = e.dtype().readsAsFloat() ? new float[n] : new int[n];
        try {
            Safetensors.decode(header, e, mapped, e.begin(), dst, 0, n);
        } catch (CorruptFileException ex) {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        return dst instanceof float[] f ? Tensor.of(f, e.shape()) : Tensor.ofInts((int[]) dst, e.shape());
    }

    /** Every tensor by name, in file order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : header.entries.keySet()) {
            out.put(name, get(name));
        }
        return out;
    }

    private SafetensorsHeader.Entry entry(String name) {
        SafetensorsHeader.Entry e = header.entries.get(name);
        if (e == null) {
            List<String> some = new ArrayList<>(header.entries.keySet());
            String list = some.size() <= 8 ? some.toString() : some.subList(0, 8) + " and " + (some.size() - 8) + " more";
            throw new NoSuchElementException(header.file + ": no tensor \"" + name + "\": it holds " + list);
        }
        return e;
    }
}
