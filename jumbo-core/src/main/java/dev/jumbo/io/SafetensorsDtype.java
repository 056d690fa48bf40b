package dev.jumbo.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * The element types of a safetensors file that Jumbo reads, by their header names, and what each
 * becomes in memory: floating types become float32 tensors (F16, BF16 and F64 are converted),
 * integer and boolean types become int32 tensors (exact; I64 and U32 only when every value fits).
 * Jumbo writes F32 and I32.
 */
public enum SafetensorsDtype {
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    F64(8, true),
    I32(4, false),
    I64(8, false),
    U32(4, false),
    I16(2, false),
    U16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Types the reference implementation defines that Jumbo does not read (yet). */
    private static final String[] KNOWN_UNSUPPORTED = {"U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"};

    private final int size;
    private final boolean floating;

    SafetensorsDtype(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** Bytes per element in the file. */
    public int size() {
        return size;
    }

    /** Whether tensors of this type are read as float32 (else int32). */
    public boolean readsAsFloat() {
        return floating;
    }

    /**
     * The type named {@code name} in a header, or an error saying whether the name is a
     * safetensors type Jumbo does not read or not a safetensors type at all.
     */
    static SafetensorsDtype parse(String name, String where) throws CorruptFileException {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        String supported = Arrays.toString(values());
        if (Arrays.asList(KNOWN_UNSUPPORTED).contains(name.toUpperCase(Locale.ROOT))) {
            throw new CorruptFileException(where + ": dtype \"" + name + "\" is not supported: expected one of " + supported);
        }
        throw new CorruptFileException(where + ": unknown dtype \"" + name + "\": expected one of " + supported);
    }

    /** Decodes {@code n} elements at byte {@code at} of {@code src} into {@code dst[di..]} as floats. */
    void toFloats(MemorySegment src, long at, float[] dst, int di, int n) {
        switch (this) {
            case F32 -> MemorySegment.copy(src, F32_LE, at, dst, di, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[di + i] = Float.float16ToFloat(src.get(I16_LE, at + 2L * i));
                }
            }
            case BF16 -> {
                // bfloat16 is the top half of a float32: exact conversion by shifting.
                for (int i = 0; i < n; i++) {
                    dst[di + i] = Float.intBitsToFloat(src.get(I16_LE, at + 2L * i) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[di + i] = (float) src.get(F64_LE, at + 8L * i);
                }
            }
            default -> throw new IllegalStateException(this + " reads as int32");
        }
    }

    /**
     * Decodes {@code n} elements at byte {@code at} of {@code src} into {@code dst[di..]} as ints;
     * {@code first} is the element index of {@code at} within its tensor, for error messages.
     */
    void toInts(MemorySegment src, long at, int[] dst, int di, int n, String where, long first)
            throws CorruptFileException {
        switch (this) {
            case I32 -> MemorySegment.copy(src, I32_LE, at, dst, di, n);
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    dst[di + i] = src.get(I16_LE, at + 2L * i);
                }
            }
            case U16 -> {
                for (int i = 0; i < n; i++) {
                    dst[di + i] = Short.toUnsignedInt(src.get(I16_LE, at + 2L * i));
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    dst[di + i] = src.get(ValueLayout.JAVA_BYTE, at + i);
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    dst[di + i] = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, at + i));
                }
            }
            case I64, U32 -> {
                for (int i = 0; i < n; i++) {
                    long v = this == I64 ? src.get(I64_LE, at + 8L * i) : Integer.toUnsignedLong(src.get(I32_LE, at + 4L * i));
                    if (v != (int) v) {
                        throw new CorruptFileException(where + ": element " + (first + i) + " is " + v
                                + ", outside int32 (Jumbo reads " + this + " as int32 when every value fits)");
                    }
                    dst[di + i] = (int) v;
                }
            }
            default -> throw new IllegalStateException(this + " reads as float32");
        }
    }
}
