package dev.jumbo.cli;

import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.zoo.ResNet;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.optim.MaxNorm;
import dev.jumbo.optim.Regularizer;
import dev.jumbo.tensor.Rng;
import dev.jumbo.train.Trainer;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The regularization options of {@code jumbo train}, checked before any work and applied through
 * the core APIs: {@code --l2 λ} and {@code --l1 λ} ({@link Regularizer}), {@code --label-smoothing S}
 * ({@link Losses.CrossEntropyOptions#labelSmoothing}), {@code --max-norm C} ({@link MaxNorm}) and
 * {@code --stochastic-depth P} ({@link ResNet#stochasticDepth}, ResNet zoo models only).
 *
 * <p>Which parameters the L1/L2 penalties and the max-norm constraint touch: the <b>weights</b>,
 * i.e. every parameter with 2 or more dimensions (convolution filters, linear and embedding
 * matrices). Biases and the scales and shifts of normalization layers are 1-D and never
 * penalized or constrained.
 *
 * <pre>{@code
 * jumbo train --model resnet_small --l2 1e-4 --label-smoothing 0.1 --max-norm 3 --stochastic-depth 0.1
 * }</pre>
 */
final class RegularizationOptions {
    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty λ·Σw² on the weights (parameters of 2+ dimensions; 0: off).")
    double l2;
    @Option(names = "--l1", defaultValue = "0", description = "L1 penalty λ·Σ|w| on the weights (parameters of 2+ dimensions; 0: off).")
    double l1;
    @Option(names = "--label-smoothing", defaultValue = "0", description = "Label smoothing in 0..1 (0: off).")
    double labelSmoothing;
    @Option(names = "--max-norm", defaultValue = "0", description = "Max-norm constraint on each weight row/filter after every step (0: off).")
    double maxNorm;
    @Option(names = "--stochastic-depth", defaultValue = "0", description = "Stochastic depth for ResNet zoo models: the last block drops with P, in [0, 1) (0: off).")
    double stochasticDepth;

    /** Rejects bad values, naming the option and the value; runs before any data is read or file written. */
    void check(String model) {
        nonNegative("--l2", l2);
        nonNegative("--l1", l1);
        nonNegative("--max-norm", maxNorm);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("--label-smoothing " + labelSmoothing + ": expected 0..1");
        }
        if (!(stochasticDepth >= 0 && stochasticDepth < 1)) {
            throw new IllegalArgumentException("--stochastic-depth " + stochasticDepth + ": expected a probability in [0, 1)");
        }
        if (stochasticDepth > 0 && !model.startsWith("resnet")) {
            throw new IllegalArgumentException("--stochastic-depth " + stochasticDepth + ": model '" + model
                    + "' has no residual blocks: expected a ResNet zoo model ("
                    + String.join(", ", Zoo.names().stream().filter(n -> n.startsWith("resnet")).toList()) + ")");
        }
    }

    private static void nonNegative(String option, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(option + " " + v + ": expected a finite value >= 0 (0: off)");
        }
    }

    /** Turns stochastic depth on in {@code net} (a no-op at 0), with masks seeded from {@code seed}. */
    void applyTo(Module net, long seed) {
        if (stochasticDepth == 0) {
            return;
        }
        if (!(net instanceof ResNet r)) {
            throw new IllegalArgumentException("--stochastic-depth " + stochasticDepth + ": " + net.typeName()
                    + " has no residual blocks: expected a ResNet zoo model");
        }
        r.stochasticDepth(stochasticDepth, new Rng(seed).split());
    }

    /** Sets the loss, the penalties and the constraint on {@code b} for {@code net}. */
    void applyTo(Trainer.Builder b, Module net) {
        if (labelSmoothing > 0) {
            Losses.CrossEntropyOptions ce = Losses.CrossEntropyOptions.defaults().labelSmoothing((float) labelSmoothing);
            b.loss((logits, target) -> Losses.crossEntropy(logits, target, ce));
        }
        List<String> names = weightNames(net);
        if ((l2 > 0 || l1 > 0) && !names.isEmpty()) { // no names would select every parameter
            String[] weights = names.toArray(String[]::new);
            Regularizer reg = Regularizer.none();
            if (l2 > 0) {
                reg = reg.l2(l2, weights);
            }
            if (l1 > 0) {
                reg = reg.l1(l1, weights);
            }
            b.regularizer(reg);
        }
        if (maxNorm > 0) {
            b.constraint(new MaxNorm(maxNorm)); // MaxNorm skips parameters of fewer than 2 dimensions
        }
    }

    /** The names of {@code net}'s weights: its parameters of 2 or more dimensions. */
    static List<String> weightNames(Module net) {
        return List.of(Regularizer.weightNames(net));
    }

    /** The settings for run.json. */
    void record(Map<String, Object> run) {
        run.put("l2", l2);
        run.put("l1", l1);
        run.put("label_smoothing", labelSmoothing);
        run.put("max_norm", maxNorm);
        run.put("stochastic_depth", stochasticDepth);
    }
}
