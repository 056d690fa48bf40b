package dev.jumbo.kernels;

/**
 * The elementwise maps one {@link Unary} kernel is parameterized by. {@code LEAKY_RELU} reads its
 * slope from parameter p, {@code POW} its exponent from p, {@code CLAMP} its bounds from p and q.
 * Each constant also holds the scalar definition of the map and its derivative, the naive reference
 * the vector kernel is tested against.
 */
public enum UnaryOp {
    EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, LEAKY_RELU, GELU, GELU_TANH, SILU, ABS, NEG, SQUARE, POW, CLAMP;

    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** Scalar f(x) in double precision. */
    public double reference(double x, double p, double q) {
        return switch (this) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0);
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case GELU -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
            case ABS -> Math.abs(x);
            case NEG -> -x;
            case SQUARE -> x * x;
            case POW -> Math.pow(x, p);
            case CLAMP -> Math.min(Math.max(x, p), q);
        };
    }

    /** Scalar f'(x) in double precision. */
    public double referenceDerivative(double x, double p, double q) {
        return switch (this) {
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case RSQRT -> -0.5 / (x * Math.sqrt(x));
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : p;
            case GELU -> 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case GELU_TANH -> {
                double t = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
            }
            case SILU -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 + x * (1 - s));
            }
            case ABS -> Math.signum(x);
            case NEG -> -1;
            case SQUARE -> 2 * x;
            case POW -> p * Math.pow(x, p - 1);
            case CLAMP -> x >= p && x <= q ? 1 : 0;
        };
    }

    /** Lower-case op name ("leaky_relu", "gelu_tanh", ...). */
    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
