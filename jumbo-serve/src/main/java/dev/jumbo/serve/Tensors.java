package dev.jumbo.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Converts protocol tensor data (JSON arrays, flat or nested row-major, or binary-extension bytes) of
 * any supported datatype to the float32 values a model takes. Values must fit their datatype and be
 * finite; errors name the input, the element index and what was expected.
 */
final class Tensors {
    private Tensors() {}

    /** Flattens {@code data} (nested arrays allowed) and converts each element as {@code dt}. */
    static float[] fromJson(JsonNode data, Datatype dt, String where) {
        FloatList out = new FloatList();
        flatten(data, dt, where, out);
        return out.toArray();
    }

    private static void flatten(JsonNode n, Datatype dt, String where, FloatList out) {
        if (n.isArray()) {
            for (JsonNode e : n) {
                flatten(e, dt, where, out);
            }
            return;
        }
        out.add(element(n, dt, where, out.size));
    }

    private static float element(JsonNode n, Datatype dt, String where, int index) {
        switch (dt) {
            case BOOL -> {
                if (!n.isBoolean()) {
                    throw bad(where, index, n, "true or false for BOOL");
                }
                return n.booleanValue() ? 1f : 0f;
            }
            case BYTES -> {
                if (!n.isTextual()) {
                    throw bad(where, index, n, "a string for BYTES");
                }
                return parseNumber(n.textValue(), where, index);
            }
            case FP16, FP32, FP64 -> {
                if (!n.isNumber()) {
                    throw bad(where, index, n, "a number for " + dt);
                }
                return finite((float) n.doubleValue(), where, index);
            }
            default -> {
                if (!n.isIntegralNumber()) {
                    throw bad(where, index, n, "an integer for " + dt);
                }
                return integer(n.longValue(), n.isBigInteger(), dt, where, index);
            }
        }
    }

    private static float integer(long v, boolean overflow, Datatype dt, String where, int index) {
        long lo;
        long hi;
        switch (dt) {
            case UINT8 -> { lo = 0; hi = 255; }
            case INT8 -> { lo = -128; hi = 127; }
            case UINT16 -> { lo = 0; hi = 65535; }
            case INT16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
            case UINT32 -> { lo = 0; hi = 0xFFFFFFFFL; }
            case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case UINT64 -> { lo = 0; hi = Long.MAX_VALUE; }
            default -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
        }
        if (overflow || v < lo || v > hi) {
            throw ServeException.badRequest(where + ": element " + index + ": " + v + " is outside " + dt
                    + " range [" + lo + ", " + hi + "]");
        }
        return v;
    }

    private static float parseNumber(String s, String where, int index) {
        try {
            return finite(Float.parseFloat(s.trim()), where, index);
        } catch (NumberFormatException e) {
            throw ServeException.badRequest(where + ": element " + index + ": BYTES value \"" + abbreviate(s)
                    + "\" is not a number, and this model takes float32 input");
        }
    }

    private static float finite(float v, String where, int index) {
        if (!Float.isFinite(v)) {
            throw ServeException.badRequest(where + ": element " + index + " is " + v + ", expected a finite number");
        }
        return v;
    }

    private static ServeException bad(String where, int index, JsonNode n, String expected) {
        return ServeException.badRequest(where + ": element " + index + ": " + abbreviate(n.toString())
                + ": expected " + expected);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Reads {@code numel} elements of {@code dt} from {@code b} (little-endian), all of it. */
    static float[] fromBinary(ByteBuffer b, Datatype dt, int numel, String where) {
        if (dt == Datatype.BYTES) {
            FloatList out = new FloatList();
            while (b.hasRemaining()) {
                if (b.remaining() < 4) {
                    throw ServeException.badRequest(where + ": BYTES element " + out.size + ": truncated length prefix");
                }
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw ServeException.badRequest(where + ": BYTES element " + out.size + ": length " + len
                            + " but " + b.remaining() + " bytes remain");
                }
                byte[] s = new byte[len];
                b.get(s);
                out.add(parseNumber(new String(s, StandardCharsets.UTF_8), where, out.size));
            }
            return out.toArray();
        }
        long expected = (long) numel * dt.size;
        if (b.remaining() != expected) {
            throw ServeException.badRequest(where + ": binary_data_size " + b.remaining() + " bytes, expected "
                    + expected + " (" + numel + " " + dt + " elements of " + dt.size + " bytes)");
        }
        float[] out = new float[numel];
        for (int i = 0; i < numel; i++) {
            out[i] = switch (dt) {
                case BOOL -> b.get() != 0 ? 1f : 0f;
                case UINT8 -> b.get() & 0xFF;
                case INT8 -> b.get();
                case UINT16 -> b.getShort() & 0xFFFF;
                case INT16 -> b.getShort();
                case UINT32 -> b.getInt() & 0xFFFFFFFFL;
                case INT32 -> b.getInt();
                case UINT64, INT64 -> b.getLong();
                case FP16 -> finite(Float.float16ToFloat(b.getShort()), where, i);
                case FP32 -> finite(b.getFloat(), where, i);
                case FP64 -> finite((float) b.getDouble(), where, i);
                case BYTES -> throw new IllegalStateException("unreachable");
            };
        }
        return out;
    }

    /** A growable float array (no boxing). */
    private static final class FloatList {
        float[] a = new float[16];
        int size;

        void add(float v) {
            if (size == a.length) {
                if (a.length >= InferCodec.MAX_ELEMENTS) {
                    throw new ServeException(413, "too_large", "tensor data has more than "
                            + InferCodec.MAX_ELEMENTS + " elements, the limit per tensor");
                }
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(a, size);
        }
    }
}
