package dev.jumbo.kernels;

/** The reductions one {@link Reduce} kernel is parameterized by. MAX/MIN propagate NaN. */
public enum ReduceOp {
    SUM, SUM_SQUARES, MAX, MIN;

    /** The value an empty reduction starts from. */
    public float identity() {
        return switch (this) {
            case SUM, SUM_SQUARES -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
    }

    /** Folds one element into an accumulator (the scalar reference). */
    public float fold(float acc, float x) {
        return switch (this) {
            case SUM -> acc + x;
            case SUM_SQUARES -> Math.fma(x, x, acc); // as the vector lanes do
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
        };
    }
}
