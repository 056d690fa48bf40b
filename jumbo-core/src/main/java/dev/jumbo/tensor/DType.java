package dev.jumbo.tensor;

/** Element types a tensor can hold. Quantized and sparse formats join here as storages are added. */
public enum DType {
    FLOAT32(4),
    INT32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element (for packed sub-byte formats, the storage reports its own size). */
    public int bytes() {
        return bytes;
    }
}
