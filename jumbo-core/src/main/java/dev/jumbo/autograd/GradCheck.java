package dev.jumbo.autograd;

import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Finite-difference check of an op's backward against its forward.
 *
 * <p>For inputs x and a random output weighting r, it compares the analytic gradient of
 * {@code L = sum(r * f(x))} from {@link Tensor#backward(Tensor)} with central differences of L,
 * accumulated in float64. Inputs may be any views (transposed, narrowed, expanded-then-detached):
 * perturbations go through each view's own strides.
 *
 * <pre>{@code
 * Tensor a = Tensor.randn(rng, 3, 4).requiresGrad(true);
 * GradCheck.check("tanh", in -> in[0].tanh(), a); // throws AssertionError with details on mismatch
 * }</pre>
 */
public final class GradCheck {

    private GradCheck() {}

    /** Checks with step 1e-2 (float32 forward) and tolerance |a-n| <= 2e-2 * max(1, |n|). */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, f, 1e-2, 2e-2, inputs);
    }

    /** Checks every input that requires grad; throws {@link AssertionError} naming the worst element. */
    public static void check(String name, Function<Tensor[], Tensor> f, double eps, double tol, Tensor... inputs) {
        for (Tensor in : inputs) {
            if (in.requiresGrad()) {
                in.zeroGrad();
            }
        }
        Tensor out = f.apply(inputs);
        SplittableRandom rnd = new SplittableRandom(42);
        float[] r = new float[out.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        Tensor seed = Tensor.of(r, out.shape());
        if (!out.requiresGrad()) {
            throw new AssertionError(name + ": output does not require grad; no input was marked requiresGrad "
                    + "or the op does not record the tape");
        }
        out.backward(seed);
        for (int k = 0; k < inputs.length; k++) {
            Tensor in = inputs[k];
            if (!in.requiresGrad()) {
                continue;
            }
            if (in.grad() == null) {
                throw new AssertionError(name + ": input " + k + " got no gradient");
            }
            float[] analytic = in.grad().toFloatArray();
            float[] data = in.data();
            int[] shape = in.shape();
            int[] strides = in.strides();
            int[] idx = new int[shape.length];
            int n = in.numel();
            for (int e = 0; e < n; e++) {
                int pos = in.offset();
                for (int d = 0; d < shape.length; d++) {
                    pos += idx[d] * strides[d];
                }
                float orig = data[pos];
                data[pos] = (float) (orig + eps);
                double plus = weighted(f, inputs, r);
                data[pos] = (float) (orig - eps);
                double minus = weighted(f, inputs, r);
                data[pos] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[e];
                if (!(Math.abs(a - numeric) <= tol * Math.max(1.0, Math.abs(numeric)))) {
                    throw new AssertionError(String.format(
                            "%s: gradient of input %d (shape %s) at %s: analytic %.6g, numeric %.6g",
                            name, k, Shapes.str(shape), Arrays.toString(idx), a, numeric));
                }
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++idx[d] < shape[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
    }

    private static double weighted(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] r) {
        try (var ignored = Autograd.noGrad()) {
            float[] y = f.apply(inputs).toFloatArray();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (double) r[i] * y[i];
            }
            return s;
        }
    }
}
