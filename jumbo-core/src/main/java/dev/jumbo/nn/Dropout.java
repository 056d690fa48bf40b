package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.Map;

/**
 * Inverted dropout (PyTorch {@code nn.Dropout}): in training, zeroes elements with probability p and
 * scales the rest by 1/(1-p); in evaluation returns the input itself. Its masks come from its own
 * {@link Rng}, so a seed fixes them.
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.5, rng.split());
 * drop.eval(); drop.forward(x); // == x
 * }</pre>
 */
public final class Dropout extends Module {
    public final double p;
    private Rng rng;

    public Dropout(double p, Rng rng) {
        Layers.probability("Dropout", "p", p);
        this.p = p;
        this.rng = rng;
    }

    public Dropout(double p, long seed) {
        this(p, new Rng(seed));
    }

    /** The generator drawing the masks (its state goes into training checkpoints). */
    public Rng rng() {
        return rng;
    }

    /** Replaces the generator, e.g. with one restored from a checkpoint. */
    public void rng(Rng rng) {
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.dropout((float) p, isTraining(), rng);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("p", p);
    }
}
