package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * Weight initializers with {@code torch.nn.init} semantics, filling a tensor in place from an
 * {@link Rng} (so a seed fixes the model). Fans follow {@code _calculate_fan_in_and_fan_out}: for a
 * weight [out, in, k...], fan_in = in·∏k and fan_out = out·∏k.
 *
 * <pre>{@code
 * Init.kaimingNormal(conv.weight, 0, Init.Mode.FAN_OUT, "relu", rng); // torchvision ResNet convs
 * Init.uniform(linear.bias, -0.1, 0.1, rng);
 * }</pre>
 */
public final class Init {
    private Init() {}

    /** Which fan Kaiming init preserves: the forward pass's (fan_in) or the backward pass's (fan_out). */
    public enum Mode { FAN_IN, FAN_OUT }

    /** {@code torch.nn.init.calculate_gain}: linear, conv*, sigmoid 1; tanh 5/3; relu √2; leaky_relu √(2/(1+a²)); selu 3/4. */
    public static double gain(String nonlinearity, double a) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "sigmoid", "identity" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + a * a));
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("Init.gain: nonlinearity '" + nonlinearity
                    + "', expected one of linear, conv1d, conv2d, sigmoid, tanh, relu, leaky_relu, selu");
        };
    }

    /** {fan_in, fan_out} of a weight of rank >= 2. */
    public static long[] fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Init.fans: tensor of rank " + s.length
                    + ", expected rank >= 2 to compute fan in and fan out");
        }
        long receptive = 1;
        for (int i = 2; i < s.length; i++) {
            receptive *= s[i];
        }
        return new long[] {s[1] * receptive, s[0] * receptive};
    }

    /** U(-b, b) with b = gain·√(3/fan) (PyTorch {@code kaiming_uniform_}); returns t. */
    public static Tensor kaimingUniform(Tensor t, double a, Mode mode, String nonlinearity, Rng rng) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, -bound, bound, rng);
    }

    /** N(0, std²) with std = gain/√fan (PyTorch {@code kaiming_normal_}); returns t. */
    public static Tensor kaimingNormal(Tensor t, double a, Mode mode, String nonlinearity, Rng rng) {
        return normal(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t, mode)), rng);
    }

    /** U(-b, b) with b = gain·√(6/(fan_in+fan_out)); returns t. */
    public static Tensor xavierUniform(Tensor t, double gain, Rng rng) {
        long[] f = fans(t);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -bound, bound, rng);
    }

    /** N(0, std²) with std = gain·√(2/(fan_in+fan_out)); returns t. */
    public static Tensor xavierNormal(Tensor t, double gain, Rng rng) {
        long[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** U(lo, hi) in place; returns t. */
    public static Tensor uniform(Tensor t, double lo, double hi, Rng rng) {
        float[] d = dense("uniform", t);
        int off = t.offset();
        float flo = (float) lo;
        float w = (float) (hi - lo);
        for (int i = 0, n = t.numel(); i < n; i++) {
            d[off + i] = flo + w * rng.nextFloat();
        }
        return t;
    }

    /** N(mean, std²) in place; returns t. */
    public static Tensor normal(Tensor t, double mean, double std, Rng rng) {
        float[] d = dense("normal", t);
        float[] z = Tensor.randn(rng, t.numel()).data();
        int off = t.offset();
        for (int i = 0; i < z.length; i++) {
            d[off + i] = (float) (mean + std * z[i]);
        }
        return t;
    }

    /** Fills with {@code value}; returns t. */
    public static Tensor constant(Tensor t, double value) {
        float[] d = dense("constant", t);
        java.util.Arrays.fill(d, t.offset(), t.offset() + t.numel(), (float) value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /**
     * PyTorch's default for Linear and Conv: weight kaiming_uniform_(a=√5) (a bound of 1/√fan_in),
     * bias U(-1/√fan_in, 1/√fan_in). {@code bias} may be null.
     */
    public static void torchDefault(Tensor weight, Tensor bias, Rng rng) {
        kaimingUniform(weight, Math.sqrt(5), Mode.FAN_IN, "leaky_relu", rng);
        if (bias != null) {
            long fanIn = fans(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform(bias, -bound, bound, rng);
        }
    }

    private static long fan(Tensor t, Mode mode) {
        long[] f = fans(t);
        long fan = mode == Mode.FAN_IN ? f[0] : f[1];
        if (fan == 0) {
            throw new IllegalArgumentException("Init: tensor of shape " + dev.jumbo.tensor.Shapes.str(t.shape())
                    + " has a zero " + mode.name().toLowerCase() + ", cannot initialize");
        }
        return fan;
    }

    private static float[] dense(String op, Tensor t) {
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("Init." + op + ": tensor is not contiguous, expected a parameter");
        }
        return t.data();
    }
}
