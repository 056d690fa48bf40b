package dev.jumbo.estimate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds how to train an LLM on devices of one {@link HardwareProfile}: tensor-parallel size t
 * (within a node, dividing the heads; sequence parallelism on when t > 1), pipeline size p
 * (dividing the layers), data-parallel size d, ZeRO stage 0-3 (over d) and activation
 * recomputation (none, selective, full), such that the busiest device's memory fits.
 *
 * <p>Memory per device is the larger of the first pipeline stage (L/p layers and the embedding;
 * p micro-batches in flight under 1F1B, so L layers' worth of activations) and the last stage
 * (L/p layers, the output projection, a tied copy included, and the fp32 logits; one micro-batch),
 * with parameters split t ways, {@link ModelStates} sharded by ZeRO over d and activations from
 * {@link ActivationMemory}.
 *
 * <p>Time of a layout = training FLOPs for D tokens × recomputation factor / (N · peak · MFU) ×
 * (1 + bubble), with training FLOPs = 3 × forward (2·MACs) per token at context s, the
 * recomputation factor 4/3 for full (one more forward) and 1 + attention-core/(3 · forward) for
 * selective, and the 1F1B bubble (p − 1)/m for m micro-batches per step (global batch / (b · d)).
 * Communication time is not modelled, so layouts that differ only in ZeRO stage or t tie; ties go
 * to the smaller t (tensor parallelism all-reduces activations in every layer), then to ZeRO 0-2
 * over ZeRO-3 (which moves 1.5× the data of plain data parallelism), then smaller p, then the
 * lower ZeRO stage.
 *
 * <pre>{@code
 * Planner.Request r = new Planner.Request(cfg, 4096, 1, 1024, 2e12, WeightFormat.BF16,
 *         HardwareProfile.named("a100-80gb"), 8, 0.40);
 * Planner.Plan plan = Planner.plan(r);
 * plan.best();        // e.g. t=2 p=1 d=4, ZeRO-1, no recomputation
 * }</pre>
 */
public final class Planner {

    /** Upper bound of the smallest-device-count search. */
    public static final int MAX_DEVICES = 1 << 20;

    private Planner() {}

    /**
     * What to plan.
     *
     * @param config       the model
     * @param seq          sequence length s
     * @param microBatch   micro-batch b (sequences per device per micro-step)
     * @param globalBatch  sequences per optimizer step
     * @param tokens       training tokens D
     * @param format       weight format (training runs mixed precision unless fp32)
     * @param hardware     the device
     * @param devices      device count to lay out; 0 for "the smallest that fits" only
     * @param mfu          model-FLOPs utilization of a run without recomputation or bubble
     */
    public record Request(LlmConfig config, long seq, long microBatch, long globalBatch, double tokens,
                          WeightFormat format, HardwareProfile hardware, int devices, double mfu) {
        public Request {
            if (seq < 1 || microBatch < 1 || globalBatch < microBatch) {
                throw new IllegalArgumentException("plan: seq " + seq + ", micro-batch " + microBatch + ", global batch "
                        + globalBatch + ": expected seq, micro-batch >= 1 and global batch >= micro-batch");
            }
            if (!(mfu > 0 && mfu <= 1)) {
                throw new IllegalArgumentException("plan: mfu " + mfu + ": expected 0 < mfu <= 1");
            }
        }
    }

    /**
     * One layout and what it costs per device: memory, pipeline bubble, training throughput of all
     * its devices (tokens/s) and the time for the requested tokens (0 when none were requested).
     */
    public record Layout(int tp, int pp, int dp, int zero, Recompute recompute, double weightsBytes, double gradientsBytes,
                         double optimizerBytes, double activationsBytes, double bubble, double tokensPerSecond,
                         double seconds) {
        public int devices() {
            return tp * pp * dp;
        }

        public double totalBytes() {
            return weightsBytes + gradientsBytes + optimizerBytes + activationsBytes;
        }

        public boolean sequenceParallel() {
            return tp > 1;
        }

        /** {@code TP2 PP1 DP4 ZeRO-1 recompute=none}. */
        public String describe() {
            return "TP" + tp + " PP" + pp + " DP" + dp + " ZeRO-" + zero + " recompute=" + recompute.label()
                    + (sequenceParallel() ? " +SP" : "");
        }
    }

    /**
     * The answer: the smallest device count that fits (0 when none up to {@link #MAX_DEVICES}) with
     * its best layout, and, for the requested count, the feasible layouts best first (or why none fits).
     */
    public record Plan(Request request, int minDevices, Layout bestAtMin, List<Layout> feasible, Layout leanest, String reason) {
        /** The best feasible layout at the requested count (at the smallest count when none was requested), or null. */
        public Layout best() {
            return feasible.isEmpty() ? null : feasible.get(0);
        }

        public boolean fits() {
            return !feasible.isEmpty();
        }
    }

    public static Plan plan(Request r) {
        Sizes z = new Sizes(r);
        int minN = 0;
        for (int t : tensorSizes(r)) {
            for (int p : divisors(r.config().layers())) {
                for (int zero = 0; zero <= 3; zero++) {
                    for (Recompute rc : Recompute.values()) {
                        long d = z.minDp(t, p, zero, rc);
                        if (d > 0 && (long) t * p * d <= MAX_DEVICES && (minN == 0 || t * p * d < minN)) {
                            minN = (int) (t * p * d);
                        }
                    }
                }
            }
        }
        Layout bestAtMin = minN == 0 ? null : layouts(r, z, minN).stream().filter(l -> z.fits(l)).findFirst().orElse(null);
        int n = r.devices() > 0 ? r.devices() : minN;
        List<Layout> all = n == 0 ? List.of() : layouts(r, z, n);
        List<Layout> feasible = all.stream().filter(z::fits).toList();
        Layout leanest = all.stream().min(Comparator.comparingDouble(Layout::totalBytes)).orElse(null);
        String reason = feasible.isEmpty() ? reason(r, z, n, leanest, minN) : "";
        return new Plan(r, minN, bestAtMin, feasible, leanest, reason);
    }

    private static String reason(Request r, Sizes z, int n, Layout leanest, int minN) {
        HardwareProfile hw = r.hardware();
        String where = n + " x " + hw.name() + " (" + gb(hw.memoryBytes()) + " each)";
        String smallest = minN > 0 ? "; the smallest count that fits is " + minN : "; nothing fits up to " + MAX_DEVICES + " devices";
        if (leanest == null) {
            return "does not fit on " + where + smallest;
        }
        String why = leanest.dp() * r.microBatch() > r.globalBatch() && leanest.totalBytes() <= hw.memoryBytes()
                ? "data-parallel size " + leanest.dp() + " x micro-batch " + r.microBatch() + " exceeds the global batch " + r.globalBatch()
                : String.format("the leanest layout (%s) needs %s per device: weights %s, gradients %s, optimizer %s, activations %s",
                leanest.describe(), gb(leanest.totalBytes()), gb(leanest.weightsBytes()), gb(leanest.gradientsBytes()),
                gb(leanest.optimizerBytes()), gb(leanest.activationsBytes()));
        return "does not fit on " + where + ": " + why + smallest;
    }

    static String gb(double bytes) {
        return String.format("%.1f GB", bytes / 1e9);
    }

    /** Every layout on exactly {@code n} devices, best first. */
    private static List<Layout> layouts(Request r, Sizes z, int n) {
        List<Layout> out = new ArrayList<>();
        for (int t : tensorSizes(r)) {
            for (int p : divisors(r.config().layers())) {
                if (n % (t * p) != 0) {
                    continue;
                }
                int d = n / (t * p);
                for (int zero = 0; zero <= 3; zero++) {
                    if (zero > 0 && d == 1) {
                        continue; // ZeRO over one device is stage 0
                    }
                    for (Recompute rc : Recompute.values()) {
                        out.add(z.layout(t, p, d, zero, rc));
                    }
                }
            }
        }
        // Equal modelled time: prefer less communication. Tensor parallelism all-reduces activations in
        // every layer; ZeRO-1/2 move as much as plain data parallelism, ZeRO-3 1.5x (the ZeRO paper).
        out.sort(Comparator.comparingDouble((Layout l) -> -l.tokensPerSecond()).thenComparingInt(Layout::tp)
                .thenComparingInt(l -> l.zero() == 3 ? 1 : 0).thenComparingInt(Layout::pp).thenComparingInt(Layout::zero));
        return out;
    }

    /** Powers of two up to the node size that divide the heads. */
    private static List<Integer> tensorSizes(Request r) {
        List<Integer> out = new ArrayList<>();
        for (int t = 1; t <= Math.max(1, r.hardware().devicesPerNode()); t *= 2) {
            if (r.config().heads() % t == 0) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<Integer> divisors(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (n % i == 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** The per-device arithmetic, with the model's sizes computed once. */
    private static final class Sizes {
        final Request r;
        final LlmConfig c;
        final double block;
        final double embed;
        final double head;
        final double total;
        final ModelStates states;
        final double macsPerToken;
        final double attnPerToken;

        Sizes(Request r) {
            this.r = r;
            this.c = r.config();
            List<LayerRow> rows = LlmModel.rows(c, 1, 1, 2);
            total = rows.stream().mapToLong(LayerRow::totalParams).sum();
            block = LlmModel.blockParams(c);
            boolean bert = c.family() == LlmConfig.Family.BERT;
            long norm = c.family().llamaLike() ? c.hidden() : 2L * c.hidden();
            double untiedHead = bert ? (double) c.hidden() * c.hidden() + c.hidden() : (c.tiedEmbeddings() ? 0 : (double) c.vocab() * c.hidden()) + (bert ? 0 : norm);
            embed = total - block * c.layers() - untiedHead;
            head = bert ? untiedHead : (double) c.vocab() * c.hidden() + norm; // the last stage keeps a tied copy
            states = ModelStates.forFormat(r.format());
            macsPerToken = LlmModel.macsPerToken(c, r.seq());
            attnPerToken = 2.0 * c.layers() * c.qDim() * LlmModel.context(c, r.seq());
        }

        /** Parameters on the first and the last pipeline stage, per tensor-parallel rank. */
        double[] stageParams(int t, int p) {
            if (p == 1) {
                return new double[] {total / t};
            }
            double layers = block * c.layers() / p;
            return new double[] {(layers + embed) / t, (layers + head) / t};
        }

        /** Activations of the first and the last stage. */
        double[] stageActivations(int t, int p, Recompute rc) {
            int act = r.format().activationBytes();
            double perLayer = ActivationMemory.perLayer(c, r.seq(), r.microBatch(), t, true, rc, act);
            double logits = ActivationMemory.logits(c, r.seq(), r.microBatch(), t);
            if (p == 1) {
                return new double[] {perLayer * c.layers() + logits};
            }
            return new double[] {perLayer * c.layers(), perLayer * c.layers() / p + logits};
        }

        Layout layout(int t, int p, int d, int zero, Recompute rc) {
            double[] params = stageParams(t, p);
            double[] acts = stageActivations(t, p, rc);
            ModelStates.Bytes worst = null;
            double worstAct = 0;
            for (int i = 0; i < params.length; i++) {
                ModelStates.Bytes b = states.perDevice(params[i], zero, d);
                if (worst == null || b.total() + acts[i] > worst.total() + worstAct) {
                    worst = b;
                    worstAct = acts[i];
                }
            }
            double micro = Math.max(1, Math.floor((double) r.globalBatch() / ((double) r.microBatch() * d)));
            double bubble = (p - 1) / micro;
            double factor = switch (rc) {
                case NONE -> 1;
                case SELECTIVE -> 1 + attnPerToken / (3 * macsPerToken);
                case FULL -> 4.0 / 3;
            };
            double perToken = 6 * macsPerToken * factor / ((double) t * p * d * r.hardware().peakFlops(r.format()) * r.mfu()) * (1 + bubble);
            return new Layout(t, p, d, zero, rc, worst.weights(), worst.gradients(), worst.optimizer(), worstAct, bubble,
                    1 / perToken, perToken * r.tokens());
        }

        boolean fits(Layout l) {
            return l.totalBytes() <= r.hardware().memoryBytes() && (long) l.dp() * r.microBatch() <= r.globalBatch();
        }

        /** Smallest data-parallel size that fits for (t, p, zero, rc), or 0 when none does. */
        long minDp(int t, int p, int zero, Recompute rc) {
            double mem = r.hardware().memoryBytes();
            double[] params = stageParams(t, p);
            double[] acts = stageActivations(t, p, rc);
            long need = 1;
            for (int i = 0; i < params.length; i++) {
                ModelStates.Bytes one = states.perDevice(params[i], zero, 1);
                ModelStates.Bytes two = states.perDevice(params[i], zero, 2);
                double sharded = 2 * (one.total() - two.total()); // B in A + B/d
                double fixed = one.total() - sharded;
                double room = mem - fixed - acts[i];
                if (room <= 0) {
                    return 0;
                }
                if (sharded > 0) {
                    need = Math.max(need, (long) Math.ceil(sharded / room));
                }
            }
            if (zero > 0 && need == 1) {
                return 0; // stage 0 covers it
            }
            return need * r.microBatch() <= r.globalBatch() ? need : 0;
        }
    }
}
