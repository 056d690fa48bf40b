package dev.jumbo.optim;

import dev.jumbo.tensor.Tensor;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay, as PyTorch's
 * {@code torch.optim.AdamW}: {@code p *= 1 - lr*weight_decay} before the Adam step, and the
 * gradient itself is not decayed. Default weight decay 1e-2, as in PyTorch.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(AdamW.options().lr(1e-3).weightDecay(0.05), params);
 * }</pre>
 */
public final class AdamW extends Adam {

    /** PyTorch's AdamW defaults: Adam's, with weight decay 1e-2. */
    public static Options options() {
        return new Options(1e-2);
    }

    public AdamW(Options options, List<Tensor> params) {
        super("AdamW", options, single(params), true);
    }

    public AdamW(Options options, ParamGroup... groups) {
        super("AdamW", options, List.of(groups), true);
    }
}
