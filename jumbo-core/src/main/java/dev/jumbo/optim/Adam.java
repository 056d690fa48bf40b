package dev.jumbo.optim;

import dev.jumbo.kernels.OptimizerKernels;
import dev.jumbo.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba 2015) with bias correction, optional AMSGrad and L2 weight decay added to
 * the gradient, as PyTorch's {@code torch.optim.Adam}: {@code m = lerp(m, g, 1-beta1)},
 * {@code v = beta2*v + (1-beta2)*g*g}, {@code p -= lr/(1-beta1^t) * m / (sqrt(v)/sqrt(1-beta2^t) + eps)}.
 * Options: {@code lr, beta1, beta2, eps, weight_decay, amsgrad}. State: {@code exp_avg},
 * {@code exp_avg_sq}, {@code max_exp_avg_sq} (AMSGrad).
 *
 * <pre>{@code
 * Adam adam = new Adam(Adam.options().lr(1e-3).betas(0.9, 0.999), params);
 * }</pre>
 */
public class Adam extends Optimizer {
    private static final String[] BUFFERS = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};

    private final boolean decoupled;

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, no AMSGrad. */
    public static final class Options extends OptimizerOptions<Options> {
        Options(double weightDecay) {
            set("lr", 1e-3).set("beta1", 0.9).set("beta2", 0.999).set("eps", 1e-8)
                    .set("weight_decay", weightDecay).set("amsgrad", 0);
        }

        public Options betas(double beta1, double beta2) {
            return set("beta1", beta1).set("beta2", beta2);
        }

        public Options eps(double eps) {
            return set("eps", eps);
        }

        public Options amsgrad(boolean on) {
            return set("amsgrad", on ? 1 : 0);
        }
    }

    public static Options options() {
        return new Options(0);
    }

    public Adam(Options options, List<Tensor> params) {
        this("Adam", options, single(params), false);
    }

    public Adam(Options options, ParamGroup... groups) {
        this("Adam", options, List.of(groups), false);
    }

    Adam(String name, Options options, List<ParamGroup> groups, boolean decoupled) {
        super(name, options.values(), BUFFERS, groups);
        this.decoupled = decoupled;
    }

    @Override
    protected void validate(ParamGroup g, int gi) {
        checkRange(g, gi, "lr", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "beta1", 0, false, 1, true);
        checkRange(g, gi, "beta2", 0, false, 1, true);
        checkRange(g, gi, "eps", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "weight_decay", 0, false, Double.POSITIVE_INFINITY, true);
    }

    @Override
    protected void update(ParamGroup g, int index, float[] p, int pOff, float[] grad, int gOff, int n, int step) {
        float[] vMax = flag(g, "amsgrad") ? buffer(index, 2) : null;
        OptimizerKernels.adam(p, pOff, grad, gOff, buffer(index, 0), buffer(index, 1), vMax, n, (float) g.get("lr"),
                (float) g.get("beta1"), (float) g.get("beta2"), (float) g.get("eps"), (float) g.get("weight_decay"),
                decoupled, step);
    }
}
