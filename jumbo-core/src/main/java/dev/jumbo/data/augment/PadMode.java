package dev.jumbo.data.augment;

/**
 * What a pixel outside the image reads as: the fill value ({@code ZERO} fills with 0), the mirror
 * image without repeating the edge ({@code REFLECT}, as {@code torch.nn.functional.pad(mode="reflect")}:
 * index -1 reads 1), or the nearest edge pixel ({@code EDGE}, PyTorch's "replicate").
 */
public enum PadMode {
    ZERO, REFLECT, EDGE;

    /** The in-image index that {@code i} reads from in an axis of length {@code n}, or -1 for the fill value. */
    int index(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (this) {
            case ZERO -> -1;
            case EDGE -> i < 0 ? 0 : n - 1;
            case REFLECT -> {
                if (n == 1) {
                    yield 0;
                }
                int period = 2 * (n - 1);
                int m = Math.floorMod(i, period);
                yield m < n ? m : period - m;
            }
        };
    }
}
