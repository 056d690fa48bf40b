package dev.jumbo.optim;

import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * L1 and L2 penalties on selected parameters (Keras {@code kernel_regularizer} semantics, per
 * layer by name pattern): {@code l2(λ)} adds {@code λ·Σ w²} to the loss, {@code l1(λ)} adds
 * {@code λ·Σ |w|}. Unlike decoupled weight decay ({@link AdamW}) the penalty goes through the
 * optimizer's adaptive scaling, as in the textbook objective.
 *
 * <p>The {@code Trainer} calls {@link #addGradients(Module)} after backward: it adds the exact
 * gradient of {@link #penalty(Module)} ({@code 2λw} and {@code λ·sign(w)}, 0 at w = 0) to each
 * selected parameter's gradient without recording the penalty on the tape. The reported training
 * loss is the data loss; {@link #value(Module)} gives the penalty.
 *
 * <pre>{@code
 * Regularizer reg = Regularizer.none()
 *         .l2(1e-4, "*.weight")        // every weight, not the biases
 *         .l1(1e-5, "features.0.*");   // plus L1 on the first layer only
 * Trainer t = Trainer.builder().optimizer(opt).regularizer(reg).build();
 * }</pre>
 */
public final class Regularizer {
    /** One penalty term: L1 or L2 with its strength on the parameters a selector picks. */
    public record Term(boolean l1, double lambda, ParamSelector params) {
        public Term {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("Regularizer: " + (l1 ? "l1" : "l2") + " " + lambda
                        + ": expected a finite value >= 0");
            }
        }
    }

    private final List<Term> terms;

    private Regularizer(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    /** No penalty; add terms with {@link #l1} and {@link #l2}. */
    public static Regularizer none() {
        return new Regularizer(List.of());
    }

    /**
     * The names of {@code net}'s weights, the parameters a penalty usually targets: those of 2 or
     * more dimensions (convolution filters, linear and embedding matrices), never biases or
     * normalization scales and shifts. {@code Regularizer.none().l2(1e-4, weightNames(net))}.
     */
    public static String[] weightNames(Module net) {
        return net.namedParameters().entrySet().stream().filter(e -> e.getValue().dim() >= 2)
                .map(java.util.Map.Entry::getKey).toArray(String[]::new);
    }

    /** This regularizer plus {@code λ·Σ w²} over the parameters matching {@code globs} (all when none). */
    public Regularizer l2(double lambda, String... globs) {
        return with(new Term(false, lambda, new ParamSelector(globs)));
    }

    /** This regularizer plus {@code λ·Σ |w|} over the parameters matching {@code globs} (all when none). */
    public Regularizer l1(double lambda, String... globs) {
        return with(new Term(true, lambda, new ParamSelector(globs)));
    }

    private Regularizer with(Term t) {
        List<Term> all = new ArrayList<>(terms);
        all.add(t);
        return new Regularizer(all);
    }

    public List<Term> terms() {
        return terms;
    }

    public boolean isEmpty() {
        return terms.stream().allMatch(t -> t.lambda == 0);
    }

    /** The penalty as a differentiable scalar tensor (for a custom loss: {@code loss.add(reg.penalty(model))}). */
    public Tensor penalty(Module model) {
        Tensor total = Tensor.scalar(0f);
        for (Term t : terms) {
            for (Tensor w : t.params.select(model).values()) {
                Tensor s = t.l1 ? w.abs().sum() : w.square().sum();
                total = total.add(s.mul((float) t.lambda));
            }
        }
        return total;
    }

    /** The penalty's value, summed in double precision. */
    public double value(Module model) {
        double total = 0;
        for (Term t : terms) {
            for (Tensor w : t.params.select(model).values()) {
                Tensor c = w.contiguous();
                float[] d = c.data();
                double s = 0;
                for (int i = c.offset(), e = c.offset() + c.numel(); i < e; i++) {
                    s += t.l1 ? Math.abs(d[i]) : (double) d[i] * d[i];
                }
                total += t.lambda * s;
            }
        }
        return total;
    }

    /**
     * Adds the penalty's gradient to the selected parameters' gradients (creating them when a
     * parameter received none), outside the tape.
     */
    public void addGradients(Module model) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (Term t : terms) {
                if (t.lambda == 0) {
                    continue;
                }
                for (Map.Entry<String, Tensor> e : t.params.select(model).entrySet()) {
                    Tensor w = e.getValue();
                    if (!w.requiresGrad()) {
                        continue;
                    }
                    Tensor wc = w.contiguous();
                    float[] d = wc.data();
                    int n = wc.numel();
                    float[] g = new float[n];
                    float lam = (float) t.lambda;
                    for (int i = 0; i < n; i++) {
                        float v = d[wc.offset() + i];
                        g[i] = t.l1 ? lam * Math.signum(v) : 2 * lam * v;
                    }
                    Tensor delta = Tensor.of(g, w.shape());
                    w.setGrad(w.grad() == null ? delta : w.grad().add(delta));
                }
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Regularizer(");
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            sb.append(i == 0 ? "" : ", ").append(t.l1 ? "l1=" : "l2=").append(t.lambda).append(" on ").append(t.params);
        }
        return sb.append(')').toString();
    }
}
