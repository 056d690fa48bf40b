package dev.jumbo.kernels;

/**
 * The binary elementwise operations one {@link Binary} kernel is parameterized by. Comparisons
 * produce 1f for true and 0f for false; {@code NE} is true when either operand is NaN, the others
 * false (IEEE, as in PyTorch). {@code MAX}/{@code MIN} propagate NaN like {@link Math#max}.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE;

    /** The scalar definition: the naive reference the vector kernel is tested against. */
    public float apply(float x, float y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> (float) Math.pow(x, y);
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case EQ -> x == y ? 1f : 0f;
            case NE -> x != y ? 1f : 0f;
            case LT -> x < y ? 1f : 0f;
            case LE -> x <= y ? 1f : 0f;
            case GT -> x > y ? 1f : 0f;
            case GE -> x >= y ? 1f : 0f;
        };
    }

    /** True for the comparisons, whose result is a 0/1 mask. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    /** Lower-case name used in op names and errors ("add", "lt", ...). */
    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
