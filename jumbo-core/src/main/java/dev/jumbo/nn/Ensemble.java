package dev.jumbo.nn;

import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Several classifiers combined into one model. Its {@link #forward} returns <b>log-probabilities</b>
 * [N, C] (each row's exponentials sum to 1), so it trains, evaluates and predicts like any
 * classifier: cross-entropy of log-probabilities is their negative log-likelihood (log-softmax of
 * a log-probability row is the row itself), argmax is the ensemble's class, and
 * {@code softmax} gives its probabilities.
 *
 * <p>Combiners, with p_k = softmax of member k's output:
 * <ul>
 *   <li>{@code hard}: majority vote; output log((v + ε·p̄) / (K + ε)) with v the votes per class,
 *       p̄ the mean probabilities and ε = 1e-3, so ties go to the higher mean probability and no
 *       class has probability 0;</li>
 *   <li>{@code soft}: log of the mean probability, log(Σ_k p_k / K);</li>
 *   <li>{@code weighted}: log(Σ_k w_k p_k) with weights on the simplex (buffer {@code weights},
 *       saved with the model);</li>
 *   <li>{@code stacking}: a meta-learner, multinomial logistic regression (a {@link Linear}
 *       {@code meta} from the K·C concatenated member log-probabilities to C logits), then
 *       log-softmax.</li>
 * </ul>
 *
 * <p>Members are registered as {@code members.0}, {@code members.1}, ..., so one state dict (one
 * safetensors file) holds every member's tensors under its prefix; {@link ModelSpec} lists the
 * members' specs and the combiner, so {@link Model#save}/{@link Model#read} round-trip an ensemble
 * and {@code jumbo eval}, {@code jumbo predict} and the server load it unchanged.
 *
 * <pre>{@code
 * Ensemble e = new Ensemble(Ensemble.Combiner.SOFT, List.of(a, b, c), new int[] {1, 28, 28});
 * Tensor logp = e.forward(images);            // [N,10] log-probabilities
 * Model.save(Path.of("runs/ens/model"), e, FashionMnist.CLASSES);
 * }</pre>
 *
 * Members whose outputs differ in shape are rejected at construction, from one forward pass of a
 * zero image through each member: {@code Ensemble: member 1 outputs [1, 5]: expected [1, 10] like
 * member 0 (members must predict the same classes)}.
 */
public final class Ensemble extends Module {
    /** How member outputs are combined. */
    public enum Combiner {
        HARD, SOFT, WEIGHTED, STACKING;

        /** The name used in specs: hard, soft, weighted, stacking. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The combiner named {@code id}, or an error listing the names. */
        public static Combiner of(String id) {
            for (Combiner c : values()) {
                if (c.id().equals(id)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("Ensemble: combiner '" + id + "': expected one of "
                    + Arrays.stream(values()).map(Combiner::id).toList());
        }
    }

    static final float HARD_EPS = 1e-3f;

    private final Combiner combiner;
    private final List<Module> members;
    private final int numClasses;
    private final int[] inputShape;
    private final Tensor weights;
    private final Linear meta;

    /**
     * @param inputShape one input without the batch dimension, used to check the members (may be
     *     null when every member is a zoo model, whose input shape is known)
     * @throws IllegalArgumentException when there are no members or their output shapes differ
     */
    public Ensemble(Combiner combiner, List<? extends Module> members, int[] inputShape) {
        this(combiner, members, inputShape, new Rng(0));
    }

    /** As above; {@code rng} initializes the stacking meta-learner. */
    public Ensemble(Combiner combiner, List<? extends Module> members, int[] inputShape, Rng rng) {
        if (combiner == null) {
            throw new IllegalArgumentException("Ensemble: combiner null: expected one of " + Arrays.toString(Combiner.values()));
        }
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("Ensemble: no members: expected at least one model");
        }
        this.combiner = combiner;
        this.members = List.copyOf(members);
        this.inputShape = inputShape != null ? inputShape.clone() : zooShape(this.members);
        this.numClasses = checkOutputs(this.members, this.inputShape);
        MemberList list = registerModule("members", new MemberList());
        for (int i = 0; i < this.members.size(); i++) {
            list.add(i, this.members.get(i));
        }
        int k = this.members.size();
        if (combiner == Combiner.WEIGHTED) {
            weights = registerBuffer("weights", Tensor.full(1f / k, k));
        } else {
            weights = null;
        }
        meta = combiner == Combiner.STACKING ? registerModule("meta", new Linear(k * numClasses, numClasses, rng)) : null;
    }

    /** Holds the members under {@code members.<i>}; not callable itself. */
    private static final class MemberList extends Module {
        void add(int i, Module m) {
            registerModule(Integer.toString(i), m);
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("Ensemble members are called by the Ensemble");
        }
    }

    private static int[] zooShape(List<Module> members) {
        int[] shape = null;
        for (int i = 0; i < members.size(); i++) {
            Module m = members.get(i);
            if (m.zooName() == null) {
                throw new IllegalArgumentException("Ensemble: member " + i + " (" + m.typeName()
                        + ") is not a zoo model: pass the input shape");
            }
            int[] s = dev.jumbo.nn.zoo.Zoo.inputShape(m.zooName());
            if (shape != null && !Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("Ensemble: member " + i + " takes inputs " + Arrays.toString(s)
                        + ": expected " + Arrays.toString(shape) + " like member 0");
            }
            shape = s;
        }
        return shape;
    }

    /** One forward of a zero input through each member (eval mode, no tape); returns the class count. */
    private static int checkOutputs(List<Module> members, int[] inputShape) {
        int[] in = new int[inputShape.length + 1];
        in[0] = 1;
        System.arraycopy(inputShape, 0, in, 1, inputShape.length);
        Tensor x = Tensor.zeros(in);
        int[] first = null;
        for (int i = 0; i < members.size(); i++) {
            Module m = members.get(i);
            boolean was = m.isTraining();
            int[] out;
            try (Autograd.Scope s = Autograd.noGrad()) {
                m.eval();
                out = m.call(x).shape();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Ensemble: member " + i + " (" + m.typeName() + ") fails on an input "
                        + Shapes.str(in) + ": " + e.getMessage(), e);
            } finally {
                m.train(was);
            }
            if (out.length != 2) {
                throw new IllegalArgumentException("Ensemble: member " + i + " outputs " + Shapes.str(out)
                        + ": expected class scores [N, C]");
            }
            if (first == null) {
                first = out;
            } else if (!Arrays.equals(first, out)) {
                throw new IllegalArgumentException("Ensemble: member " + i + " outputs " + Shapes.str(out) + ": expected "
                        + Shapes.str(first) + " like member 0 (members must predict the same classes)");
            }
        }
        return first[1];
    }

    public Combiner combiner() {
        return combiner;
    }

    public List<Module> members() {
        return members;
    }

    public int numClasses() {
        return numClasses;
    }

    /** One input's shape without the batch dimension. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The stacking meta-learner, or null for other combiners. */
    public Linear meta() {
        return meta;
    }

    /** The member weights of a weighted ensemble (uniform: 1/K for the other combiners). */
    public double[] weights() {
        double[] w = new double[members.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights == null ? 1.0 / w.length : weights.get(i);
        }
        return w;
    }

    /**
     * Sets the weights of a weighted ensemble.
     *
     * @throws IllegalArgumentException unless there is one weight per member, each >= 0, summing to 1 (±1e-4)
     */
    public void weights(double[] w) {
        if (weights == null) {
            throw new IllegalStateException("Ensemble: weights(...) on a " + combiner.id() + " ensemble: expected a weighted one");
        }
        if (w.length != members.size()) {
            throw new IllegalArgumentException("Ensemble: " + w.length + " weights: expected one per member (" + members.size() + ")");
        }
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException("Ensemble: weights[" + i + "] " + w[i] + ": expected a finite value >= 0");
            }
            sum += w[i];
        }
        if (Math.abs(sum - 1) > 1e-4) {
            throw new IllegalArgumentException("Ensemble: weights sum to " + sum + ": expected 1");
        }
        float[] d = weights.data();
        for (int i = 0; i < w.length; i++) {
            d[weights.offset() + i] = (float) w[i];
        }
    }

    /** Each member's log-probabilities [N, C] for input {@code x}. */
    public List<Tensor> memberLogProbs(Tensor x) {
        List<Tensor> out = new ArrayList<>(members.size());
        for (Module m : members) {
            out.add(m.call(x).logSoftmax(-1));
        }
        return out;
    }

    /** The ensemble's log-probabilities [N, C]. */
    @Override
    public Tensor forward(Tensor x) {
        List<Tensor> lp = memberLogProbs(x);          // K x (N,C)
        int k = lp.size();
        return switch (combiner) {
            case SOFT -> Tensor.stack(0, lp.toArray(Tensor[]::new)).logsumexp(0, false).sub((float) Math.log(k));
            case WEIGHTED -> {
                float[] lw = new float[k];
                for (int i = 0; i < k; i++) {
                    lw[i] = (float) Math.log(Math.max(weights.get(i), 1e-30f));
                }
                Tensor s = Tensor.stack(0, lp.toArray(Tensor[]::new));           // (K,N,C)
                yield s.add(Tensor.of(lw, k, 1, 1)).logsumexp(0, false);          // (N,C)
            }
            case STACKING -> meta.call(Tensor.cat(1, lp.toArray(Tensor[]::new))).logSoftmax(-1);
            case HARD -> hardVote(lp);
        };
    }

    private Tensor hardVote(List<Tensor> lp) {
        int n = lp.get(0).size(0);
        int c = numClasses;
        int k = lp.size();
        float[] out = new float[n * c];
        for (Tensor t : lp) {
            Tensor tc = t.detach().contiguous();
            float[] d = tc.data();
            for (int i = 0; i < n; i++) {
                int o = tc.offset() + i * c;
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (d[o + j] > d[o + best]) {
                        best = j;
                    }
                }
                out[i * c + best] += 1f;
                for (int j = 0; j < c; j++) {
                    out[i * c + j] += HARD_EPS * (float) Math.exp(d[o + j]) / k;
                }
            }
        }
        float norm = k + HARD_EPS;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(out[i] / norm);
        }
        return Tensor.of(out, n, c);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("combiner", combiner.id(), "members", members.size());
    }
}
