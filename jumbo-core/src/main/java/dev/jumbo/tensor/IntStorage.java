package dev.jumbo.tensor;

/** int32 elements in a heap array: indices and labels. */
public final class IntStorage implements Storage {
    final int[] data;

    public IntStorage(int[] data) {
        this.data = data;
        MemoryTracker.allocated(this, 4L * data.length);
    }

    /** The backing array (shared, not copied). */
    public int[] array() {
        return data;
    }

    @Override
    public DType dtype() {
        return DType.INT32;
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
    public int getInt(int index) {
        return data[index];
    }
}
