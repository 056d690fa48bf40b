package dev.jumbo.serve;

import java.util.Arrays;

/**
 * The Open Inference Protocol tensor datatypes this server reads, with their element size in the
 * binary tensor data extension (little-endian; BYTES elements are a 4-byte length and the bytes).
 */
public enum Datatype {
    BOOL(1), UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), UINT64(8), INT64(8), FP16(2), FP32(4),
    FP64(8), BYTES(-1);

    /** Bytes per element in the binary extension; -1 for variable-length BYTES. */
    public final int size;

    Datatype(int size) {
        this.size = size;
    }

    /** The datatype named {@code name} (case-sensitive as the protocol spells it), or a 400 naming the known ones. */
    public static Datatype parse(String name, String where) {
        if (name == null) {
            throw ServeException.badRequest(where + ": missing \"datatype\", expected one of " + Arrays.toString(values()));
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw ServeException.badRequest(where + ": unknown datatype \"" + name + "\", expected one of "
                    + Arrays.toString(values()));
        }
    }
}
