package dev.jumbo.optim;

/**
 * Float64 transcriptions of PyTorch's single-tensor optimizer algorithms (torch/optim/*.py), written
 * independently of the kernels, for trajectory tests.
 */
final class Reference {
    private Reference() {}

    /** One optimizer's update of a parameter vector given its gradient; {@code t} is the 1-based step. */
    interface Step {
        void apply(double[] p, double[] g, int t);
    }

    static double f(double v) {
        return (float) v; // the options the optimizers hold are float32-rounded
    }

    static Step sgd(double lr, double momentum, double dampening, double wd, boolean nesterov, int n) {
        double[] buf = new double[n];
        return (p, g, t) -> {
            for (int i = 0; i < n; i++) {
                double d = g[i];
                if (wd != 0) {
                    d += f(wd) * p[i];
                }
                if (momentum != 0) {
                    buf[i] = t == 1 ? d : f(momentum) * buf[i] + (1 - f(dampening)) * d;
                    d = nesterov ? d + f(momentum) * buf[i] : buf[i];
                }
                p[i] -= f(lr) * d;
            }
        };
    }

    static Step adam(double lr, double beta1, double beta2, double eps, double wd, boolean decoupled,
                     boolean amsgrad, int n) {
        double[] m = new double[n];
        double[] v = new double[n];
        double[] vmax = new double[n];
        double b1 = f(beta1);
        double b2 = f(beta2);
        return (p, g, t) -> {
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < n; i++) {
                double gi = g[i];
                if (decoupled) {
                    p[i] *= 1 - f(lr) * f(wd);
                } else if (wd != 0) {
                    gi += f(wd) * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double vv = v[i];
                if (amsgrad) {
                    vmax[i] = Math.max(vmax[i], v[i]);
                    vv = vmax[i];
                }
                double denom = Math.sqrt(vv) / Math.sqrt(bc2) + f(eps);
                p[i] -= f(lr) / bc1 * m[i] / denom;
            }
        };
    }

    static Step rmsprop(double lr, double alpha, double eps, double wd, double momentum, boolean centered, int n) {
        double[] sq = new double[n];
        double[] ga = new double[n];
        double[] buf = new double[n];
        double a = f(alpha);
        return (p, g, t) -> {
            for (int i = 0; i < n; i++) {
                double gi = g[i];
                if (wd != 0) {
                    gi += f(wd) * p[i];
                }
                sq[i] = a * sq[i] + (1 - a) * gi * gi;
                double avg;
                if (centered) {
                    ga[i] = a * ga[i] + (1 - a) * gi;
                    avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + f(eps);
                } else {
                    avg = Math.sqrt(sq[i]) + f(eps);
                }
                if (momentum > 0) {
                    buf[i] = f(momentum) * buf[i] + gi / avg;
                    p[i] -= f(lr) * buf[i];
                } else {
                    p[i] -= f(lr) * gi / avg;
                }
            }
        };
    }
}
