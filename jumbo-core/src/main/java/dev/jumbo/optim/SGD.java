package dev.jumbo.optim;

import dev.jumbo.kernels.OptimizerKernels;
import dev.jumbo.tensor.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay, in
 * PyTorch's update order: {@code d = g + wd*p}; {@code buf = d} on the first step, then
 * {@code buf = momentum*buf + (1-dampening)*d}; {@code d = nesterov ? d + momentum*buf : buf};
 * {@code p -= lr*d}. Options: {@code lr, momentum, dampening, weight_decay, nesterov}.
 *
 * <pre>{@code
 * SGD sgd = new SGD(SGD.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4), params);
 * }</pre>
 */
public final class SGD extends Optimizer {
    private static final String[] BUFFERS = {"momentum_buffer"};

    /** SGD's defaults: lr 1e-3 (PyTorch's default), no momentum, dampening or weight decay. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            set("lr", 1e-3).set("momentum", 0).set("dampening", 0).set("weight_decay", 0).set("nesterov", 0);
        }

        public Options momentum(double m) {
            return set("momentum", m);
        }

        public Options dampening(double d) {
            return set("dampening", d);
        }

        public Options nesterov(boolean on) {
            return set("nesterov", on ? 1 : 0);
        }
    }

    public static Options options() {
        return new Options();
    }

    public SGD(Options options, List<Tensor> params) {
        super("SGD", options.values(), BUFFERS, single(params));
    }

    public SGD(Options options, ParamGroup... groups) {
        super("SGD", options.values(), BUFFERS, List.of(groups));
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) {
        this(options().lr(lr), params);
    }

    @Override
    protected void validate(ParamGroup g, int gi) {
        checkRange(g, gi, "lr", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "momentum", 0, false, Double.POSITIVE_INFINITY, true);
        checkRange(g, gi, "dampening", 0, false, 1, false);
        checkRange(g, gi, "weight_decay", 0, false, Double.POSITIVE_INFINITY, true);
        if (flag(g, "nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: nesterov in param group " + gi + " with momentum = "
                    + g.get("momentum") + " and dampening = " + g.get("dampening")
                    + ": expected momentum > 0 and dampening = 0");
        }
    }

    @Override
    protected void update(ParamGroup g, int index, float[] p, int pOff, float[] grad, int gOff, int n, int step) {
        float momentum = (float) g.get("momentum");
        boolean first = momentum != 0f && !hasBuffer(index, 0);
        float[] buf = momentum != 0f ? buffer(index, 0) : null;
        OptimizerKernels.sgd(p, pOff, grad, gOff, buf, n, (float) g.get("lr"), momentum, (float) g.get("dampening"),
                (float) g.get("weight_decay"), flag(g, "nesterov"), first);
    }
}
