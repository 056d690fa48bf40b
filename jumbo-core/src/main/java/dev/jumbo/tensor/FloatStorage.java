package dev.jumbo.tensor;

/** float32 elements in a heap array: the storage every float op reads and writes directly. */
public final class FloatStorage implements Storage {
    final float[] data;

    /** Wraps {@code data} without copying; the profiler counts it as live while it is reachable. */
    public FloatStorage(float[] data) {
        this.data = data;
        MemoryTracker.allocated(this, 4L * data.length);
    }

    public FloatStorage(int length) {
        this(new float[length]);
    }

    /** The backing array (shared, not copied). */
    public float[] array() {
        return data;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public int length() {
        return data.length;
    }

    @Override
    public long bytes() {
        return 4L * data.length;
    }

    @Override
    public float getFloat(int index) {
        return data[index];
    }

    @Override
    public FloatStorage toFloatStorage() {
        return this;
    }
}
