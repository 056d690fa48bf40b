package dev.jumbo.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked header of a safetensors file. Every number is checked before it is used:
 * the header length against the file, each tensor's byte span against its dtype and shape, the
 * spans against each other (in offset order they must tile the data buffer from 0 with no gap and
 * no overlap, as the reference implementation requires) and the last span against the file size.
 */
final class SafetensorsHeader {
    /** The reference implementation's limit; a larger header is a corrupt or hostile file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One tensor: its element type, shape and byte span {@code [begin, end)} of the data buffer. */
    record Entry(String name, SafetensorsDtype dtype, int[] shape, long begin, long end) {
        int numel() {
            int n = 1;
            for (int d : shape) {
                n *= d; // checked when parsed
            }
            return n;
        }
    }

    final Path file;
    /** Absolute file offset of the data buffer: 8 + header length. */
    final long dataStart;
    final Map<String, String> metadata;
    /** In data-offset order. */
    final Map<String, Entry> entries;

    private SafetensorsHeader(Path file, long dataStart, Map<String, String> metadata, Map<String, Entry> entries) {
        this.file = file;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.entries = entries;
    }

    /** Reads and checks the header of {@code ch}, an open channel on {@code file}. */
    static SafetensorsHeader read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new CorruptFileException(file + ": " + size + " bytes, expected at least 8 (the header length)");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, len, 0);
        long n = len.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new CorruptFileException(file + ": header length " + Long.toUnsignedString(n)
                    + " bytes, expected at most " + MAX_HEADER_BYTES + " (not a safetensors file?)");
        }
        if (n > size - 8) {
            throw new CorruptFileException(file + ": header length " + n + " bytes, but only " + (size - 8)
                    + " bytes follow the 8-byte length (truncated file?)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFileException(file + ": header is not valid UTF-8", e);
        }
        return parse(file, text, 8 + n, size);
    }

    static SafetensorsHeader parse(Path file, String text, long dataStart, long fileSize) throws CorruptFileException {
        if (!text.startsWith("{")) {
            throw new CorruptFileException(file + ": header starts with " + quote(text, 20)
                    + ", expected a JSON object starting with '{'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file + ": header is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CorruptFileException(file + ": header is " + (root == null ? "empty" : root.getNodeType())
                    + ", expected a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(file, field.getValue());
            } else {
                list.add(entry(file, field.getKey(), field.getValue()));
            }
        }
        // Any order is valid in the header; the data must be tiled in offset order.
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long dataBytes = fileSize - dataStart;
        long at = 0;
        Entry prev = null;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Entry e : list) {
            if (e.begin < at) {
                throw new CorruptFileException(file + ": tensor \"" + e.name + "\": data_offsets [" + e.begin + ", "
                        + e.end + "] overlap tensor \"" + prev.name + "\" [" + prev.begin + ", " + prev.end + "]");
            }
            if (e.begin > at) {
                throw new CorruptFileException(file + ": tensor \"" + e.name + "\": data_offsets [" + e.begin + ", "
                        + e.end + "] leave a gap of " + (e.begin - at) + " bytes after "
                        + (prev == null ? "the start of the data" : "tensor \"" + prev.name + "\" ending at " + at));
            }
            at = e.end;
            prev = e;
            entries.put(e.name, e);
        }
        if (at > dataBytes) {
            throw new CorruptFileException(file + ": truncated: tensor data ends at byte " + (dataStart + at)
                    + " (tensor \"" + prev.name + "\"), but the file has " + fileSize + " bytes");
        }
        if (at < dataBytes) {
            throw new CorruptFileException(file + ": " + (dataBytes - at) + " bytes after the last tensor's data (at byte "
                    + (dataStart + at) + " of " + fileSize + "), expected the data to end the file");
        }
        return new SafetensorsHeader(file, dataStart, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(entries));
    }

    private static Map<String, String> metadata(Path file, JsonNode node) throws CorruptFileException {
        if (!node.isObject()) {
            throw new CorruptFileException(file + ": \"" + METADATA_KEY + "\" is " + node.getNodeType()
                    + ", expected an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!f.getValue().isTextual()) {
                throw new CorruptFileException(file + ": \"" + METADATA_KEY + "\".\"" + f.getKey() + "\" is "
                        + f.getValue().getNodeType() + " " + f.getValue() + ", expected a string");
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode node) throws CorruptFileException {
        String where = file + ": tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new CorruptFileException(where + ": is " + node.getNodeType()
                    + ", expected an object with dtype, shape and data_offsets");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new CorruptFileException(where + ": dtype is " + describe(dt) + ", expected a string such as \"F32\"");
        }
        SafetensorsDtype dtype = SafetensorsDtype.parse(dt.textValue(), where);
        long[] dims = integers(where, "shape", node.get("shape"), -1);
        long[] offsets = integers(where, "data_offsets", node.get("data_offsets"), 2);
        if (offsets[0] > offsets[1]) {
            throw new CorruptFileException(where + ": data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] end before they begin");
        }
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new CorruptFileException(where + ": shape " + Arrays.toString(dims) + " has a dimension over "
                        + Integer.MAX_VALUE + ", the most a Jumbo tensor holds");
            }
            shape[i] = (int) dims[i];
            numel *= dims[i]; // both at most 2^31-1: no long overflow
            if (numel > Integer.MAX_VALUE) {
                throw new CorruptFileException(where + ": shape " + Arrays.toString(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements, the most a Jumbo tensor holds");
            }
        }
        long need = numel * dtype.size();
        if (need != offsets[1] - offsets[0]) {
            throw new CorruptFileException(where + ": shape " + Arrays.toString(dims) + " of " + dtype + " needs "
                    + need + " bytes, data_offsets [" + offsets[0] + ", " + offsets[1] + "] span "
                    + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers ({@code length} of them unless negative). */
    private static long[] integers(String where, String field, JsonNode node, int length) throws CorruptFileException {
        String expected = length < 0 ? "an array of non-negative integers" : "an array of " + length + " non-negative integers";
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw new CorruptFileException(where + ": " + field + " is " + describe(node) + ", expected " + expected);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new CorruptFileException(where + ": " + field + " is " + node + ", expected " + expected);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static String describe(JsonNode node) {
        return node == null ? "missing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " " + node;
    }

    private static String quote(String s, int max) {
        String head = s.length() > max ? s.substring(0, max) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        head.codePoints().forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c)));
        return b.append('"').toString();
    }

    /** Reads until {@code buf} is full, from file position {@code pos}; EOF first is a truncation error. */
    static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new CorruptFileException(file + ": truncated: ended at byte " + pos + " while reading "
                        + buf.remaining() + " more bytes");
            }
            pos += r;
        }
    }
}
