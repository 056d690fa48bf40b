package dev.jumbo.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Little-endian float32 elements in a {@link MemorySegment}: off-heap memory or a memory-mapped
 * file, so multi-gigabyte weight files are used in place instead of being read onto the heap.
 *
 * <p>Every op works on it: ops without a dedicated kernel call {@link Tensor#contiguous()}, which
 * materializes the view they need onto the heap.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofShared()) {
 *     Tensor w = Tensor.wrap(SegmentStorage.map(arena, path, headerBytes, 4096 * 4096), 4096, 4096);
 *     Tensor y = x.matmul(w.t());
 * }
 * }</pre>
 */
public final class SegmentStorage implements Storage {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final int length;

    /** Views {@code length} floats starting at the beginning of {@code segment}. */
    public SegmentStorage(MemorySegment segment, int length) {
        if (segment.byteSize() < 4L * length) {
            throw new IllegalArgumentException("SegmentStorage: segment of " + segment.byteSize()
                    + " bytes, expected at least " + 4L * length + " for " + length + " floats");
        }
        this.segment = segment;
        this.length = length;
    }

    /**
     * Maps {@code count} floats of {@code file} starting at byte {@code offset}, read-only, for the
     * lifetime of {@code arena}. A file too short for the request is an error naming both sizes.
     */
    public static SegmentStorage map(Arena arena, Path file, long offset, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long need = offset + 4L * count;
            if (offset < 0 || ch.size() < need) {
                throw new IOException(file + ": " + ch.size() + " bytes, expected at least " + need
                        + " (" + count + " float32 values at byte offset " + offset + ")");
            }
            return new SegmentStorage(ch.map(FileChannel.MapMode.READ_ONLY, offset, 4L * count, arena), count);
        }
    }

    public MemorySegment segment() {
        return segment;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long bytes() {
        return 4L * length;
    }

    @Override
    public float getFloat(int index) {
        return segment.getAtIndex(LE_FLOAT, index);
    }

    @Override
    public FloatStorage toFloatStorage() {
        float[] out = new float[length];
        MemorySegment.copy(segment, LE_FLOAT, 0, out, 0, length);
        return new FloatStorage(out);
    }
}
