package dev.jumbo.optim;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * A small ill-conditioned quadratic, L = 0.5 * sum a_i (p_i - c_i)^2 + 0.1 * sum p_i p_{i+1}, with its
 * gradient from autograd (float32) and in closed form (float64 for the references).
 */
final class Problem {
    final int n;
    final float[] a;
    final float[] c;
    final float[] init;

    Problem(long seed, int n) {
        this.n = n;
        Rng rng = new Rng(seed);
        a = Tensor.uniform(rng, 0.5f, 4f, n).toFloatArray();
        c = Tensor.randn(rng, n).toFloatArray();
        init = Tensor.randn(rng, n).toFloatArray();
    }

    Tensor param() {
        return Tensor.of(init.clone(), n).requiresGrad(true);
    }

    /** Sets {@code p.grad} by backpropagating the loss. */
    void backward(Tensor p) {
        Tensor d = p.sub(Tensor.of(c, n));
        Tensor loss = d.square().mul(Tensor.of(a, n)).sum().mul(0.5f);
        if (n > 1) {
            loss = loss.add(p.narrow(0, 0, n - 1).mul(p.narrow(0, 1, n - 1)).sum().mul(0.1f));
        }
        loss.backward();
    }

    double[] gradient(double[] p) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = a[i] * (p[i] - c[i]) + 0.1 * ((i > 0 ? p[i - 1] : 0) + (i < n - 1 ? p[i + 1] : 0));
        }
        return g;
    }

    double[] initial() {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = init[i];
        }
        return p;
    }
}
