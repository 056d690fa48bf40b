package dev.jumbo.optim;

import dev.jumbo.kernels.OptimizerKernels;
import dev.jumbo.tensor.Tensor;
import java.util.List;

/**
 * RMSprop as PyTorch's {@code torch.optim.RMSprop}: {@code g += wd*p};
 * {@code square_avg = alpha*square_avg + (1-alpha)*g*g}; centered subtracts the squared running
 * mean of g ({@code grad_avg}) under the root; {@code avg = sqrt(...) + eps}; with momentum
 * {@code buf = momentum*buf + g/avg; p -= lr*buf}, else {@code p -= lr*g/avg}.
 * Options: {@code lr, alpha, eps, weight_decay, momentum, centered}.
 *
 * <pre>{@code
 * RMSprop opt = new RMSprop(RMSprop.options().lr(1e-2).momentum(0.9).centered(true), params);
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private static final String[] BUFFERS = {"square_avg", "momentum_buffer", "grad_avg"};

    /** PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay or momentum, not centered. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            set("lr", 1e-2).set("alpha", 0.99).set("eps", 1e-8).set("weight_decay", 0).set("momentum", 0)
                    .set("centered", 0);
        }

        public Options alpha(double alpha) {
            return set("alpha", alpha);
        }

        public Options eps(double eps) {
            return set("eps", eps);
        }

        public Options momentum(double m) {
            return set("momentum", m);
        }

        public Options centered(boolean on) {
            return set("centered", on ? 1 : 0);
        }
    }

    public static Options options() {
        return new Options();
    }

    public RMSprop(Options options, List<Tensor> params) {
        super("RMSprop", options.values(), BUFFERS, single(params));
    }

    public RMSprop(Options options, ParamGroup... groups) {
        super("RMSprop", options.values(), BUFFERS, List.of(groups));
    }

    @Override
    protected void validate(ParamGroup g, int gi) {
        checkRange(g, gi, "lr", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "alpha", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "eps", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "weight_decay", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "momentum", 0, false, Double.POSITIVE_INFINITY, true);
    }

    @Override
    protected void update(ParamGroup g, int index, float[] p, int pOff, float[] grad, int gOff, int n, int step) {
        float momentum = (float) g.get("momentum");
        OptimizerKernels.rmsprop(p, pOff, grad, gOff, buffer(index, 0),
                flag(g, "centered") ? buffer(index, 2) : null, momentum > 0 ? buffer(index, 1) : null, n,
                (float) g.get("lr"), (float) g.get("alpha"), (float) g.get("eps"), (float) g.get("weight_decay"),
                momentum);
    }
}
