package dev.jumbo.train;

import dev.jumbo.data.Batch;
import dev.jumbo.data.DataLoader;
import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Module;
import dev.jumbo.optim.GradClip;
import dev.jumbo.optim.LrScheduler;
import dev.jumbo.optim.MaxNorm;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.optim.Regularizer;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Trains, evaluates and runs a classifier: the loop of forward, loss, backward, optional gradient
 * clipping, optimizer step and scheduler step, with {@link Callback}s around it.
 *
 * <pre>{@code
 * Module model = Zoo.create("lenet5", new Rng(1));
 * Trainer trainer = Trainer.builder()
 *         .optimizer(new AdamW(AdamW.options().lr(1e-3), model.parameters()))
 *         .seed(1)
 *         .build();
 * History h = trainer.fit(model, trainLoader, valLoader, 10, new ProgressBar(), new EarlyStopping("val_loss", 0, 3));
 * Evaluation test = trainer.evaluate(model, testLoader);   // loss, accuracy, top-5, confusion matrix
 * Tensor probs = trainer.predict(model, images);           // softmax probabilities [N, C]
 * }</pre>
 *
 * <p>Per step the trainer allocates the activations and gradients of the model and nothing else of
 * note: accuracy is read from the logits' floats, the loss through {@code item()}. Evaluation runs
 * under {@link Autograd#noGrad()} with the model in eval mode (its previous mode is restored).
 * Results are a pure function of the model's initial weights, the loaders' seeds and this
 * trainer's settings (for a given thread count), so two runs with the same seed have identical
 * loss curves.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final BiFunction<Tensor, Tensor, Tensor> loss;
    private final LrScheduler scheduler;
    private final boolean schedulerPerBatch;
    private final double clipNorm;
    private final double clipValue;
    private final long seed;
    private final int topK;
    private final Regularizer regularizer;
    private final MaxNorm constraint;

    private Trainer(Builder b) {
        if (b.optimizer == null) {
            throw new IllegalArgumentException("Trainer: no optimizer: call builder().optimizer(...)");
        }
        this.optimizer = b.optimizer;
        this.loss = b.loss;
        this.scheduler = b.scheduler;
        this.schedulerPerBatch = b.schedulerPerBatch;
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
        this.seed = b.seed;
        this.topK = b.topK;
        this.regularizer = b.regularizer;
        this.constraint = b.constraint;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The scheduler stepped by the trainer, or null. */
    public LrScheduler scheduler() {
        return scheduler;
    }

    public long seed() {
        return seed;
    }

    /**
     * Trains for epochs {@code [0, epochs)} (or from where a {@link BackupAndRestore} resumes),
     * validating on {@code val} (may be null) after each epoch. Returns the run's {@link History}.
     */
    public History fit(Module model, DataLoader train, DataLoader val, int epochs, Callback... callbacks) {
        if (epochs < 0) {
            throw new IllegalArgumentException("Trainer.fit: epochs " + epochs + ": expected >= 0");
        }
        History history = new History();
        List<Callback> cbs = new ArrayList<>();
        cbs.add(history);
        cbs.addAll(List.of(callbacks));
        // Backups run last so that they save the other callbacks' state after this epoch or batch.
        cbs.sort(java.util.Comparator.comparingInt(cb -> cb instanceof BackupAndRestore ? 1 : 0));
        TrainContext ctx = new TrainContext(this, model, epochs, train.batchesPerEpoch(), train.batchSize(), cbs);
        for (Callback cb : cbs) {
            cb.setContext(ctx);
        }
        for (Callback cb : cbs) {
            if (cb instanceof BackupAndRestore b) {
                b.restore();
            }
        }
        Map<String, Double> logs = new HashMap<>();
        for (Callback cb : cbs) {
            cb.onTrainBegin(logs);
        }
        boolean resumedMidEpoch = ctx.startBatch > 0;
        for (int epoch = ctx.startEpoch; epoch < epochs && !ctx.stopRequested(); epoch++) {
            if (!runEpoch(model, train, val, ctx, cbs, epoch, resumedMidEpoch)) {
                break;
            }
            resumedMidEpoch = false;
        }
        Map<String, Double> end = new LinkedHashMap<>(history.last());
        for (Callback cb : cbs) {
            cb.onTrainEnd(end);
        }
        model.train();
        return history;
    }

    /** One epoch; false when a callback stopped training in the middle of it. */
    private boolean runEpoch(Module model, DataLoader train, DataLoader val, TrainContext ctx, List<Callback> cbs,
            int epoch, boolean resumedMidEpoch) {
        ctx.epoch = epoch;
        int skip = resumedMidEpoch ? ctx.startBatch : 0;
        if (!resumedMidEpoch) {
            ctx.batch = 0;
            ctx.lossSum = 0;
            ctx.seen = 0;
            ctx.correct = 0;
        }
        double lr = optimizer.lr();
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        for (Callback cb : cbs) {
            cb.onEpochBegin(epoch, epochLogs);
        }
        lr = optimizer.lr(); // a LearningRateScheduler may have set it
        long seenBefore = ctx.seen;
        long t0 = System.nanoTime();
        Map<String, Double> batchLogs = new HashMap<>();
        model.train();
        try (DataLoader.Epoch it = train.epoch(epoch)) {
            for (int b = 0; b < skip && it.hasNext(); b++) {
                it.next(); // batches are a pure function of (seed, epoch, index): skip the ones already trained on
            }
            for (int b = skip; it.hasNext(); b++) {
                Batch batch = it.next();
                batchLogs.clear();
                batchLogs.put("batch", (double) b);
                batchLogs.put("size", (double) batch.size());
                for (Callback cb : cbs) {
                    cb.onBatchBegin(b, batchLogs);
                }
                float l = step(model, batch, ctx);
                ctx.batch = b + 1;
                ctx.globalStep++;
                batchLogs.put("batch_loss", (double) l);
                batchLogs.put("loss", ctx.lossSum / ctx.seen);
                batchLogs.put("accuracy", (double) ctx.correct / ctx.seen);
                for (Callback cb : cbs) {
                    cb.onBatchEnd(b, batchLogs);
                }
                if (ctx.stopRequested()) {
                    return false;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        epochLogs.put("epoch", (double) epoch);
        epochLogs.put("loss", ctx.lossSum / ctx.seen);
        epochLogs.put("accuracy", (double) ctx.correct / ctx.seen);
        epochLogs.put("lr", lr);
        epochLogs.put("time_s", seconds);
        epochLogs.put("images_per_s", (ctx.seen - seenBefore) / Math.max(seconds, 1e-9));
        if (val != null) {
            Evaluation ev = evaluate(model, val);
            epochLogs.put("val_loss", ev.loss());
            epochLogs.put("val_accuracy", ev.accuracy());
            epochLogs.put("val_top" + ev.metrics().k() + "_accuracy", ev.topKAccuracy());
        }
        if (scheduler != null && !schedulerPerBatch) {
            scheduler.step();
        }
        for (Callback cb : cbs) {
            cb.onEpochEnd(epoch, epochLogs);
        }
        return true;
    }

    /** Forward, loss, backward, clip, step; returns the batch's mean loss and updates the running sums. */
    private float step(Module model, Batch batch, TrainContext ctx) {
        Tensor logits = model.call(batch.inputs());
        Tensor l = loss.apply(logits, batch.lossTarget()); // soft targets (mixup, cutmix) when the batch has them
        l.backward();
        if (regularizer != null) {
            regularizer.addGradients(model);
        }
        if (clipNorm > 0) {
            GradClip.clipGradNorm(optimizer.params(), clipNorm, 2.0);
        }
        if (clipValue > 0) {
            GradClip.clipGradValue(optimizer.params(), clipValue);
        }
        optimizer.step();
        if (constraint != null) {
            constraint.apply(model);
        }
        optimizer.zeroGrad();
        if (scheduler != null && schedulerPerBatch) {
            scheduler.step();
        }
        float value = l.item();
        int n = batch.size();
        ctx.lossSum += (double) value * n;
        ctx.seen += n;
        ctx.correct += correct(logits, batch.labels()); // with soft targets: their argmax
        return value;
    }

    private static long correct(Tensor logits, Tensor labels) {
        Tensor lc = logits.contiguous();
        Tensor yc = labels.contiguous();
        int c = lc.size(1);
        float[] z = lc.data();
        int[] y = yc.intData();
        long ok = 0;
        for (int i = 0, n = lc.size(0); i < n; i++) {
            if (Metrics.argmax(z, lc.offset() + i * c, c) == y[yc.offset() + i]) {
                ok++;
            }
        }
        return ok;
    }

    /** Loss, accuracy, top-k and the confusion matrix of {@code model} over one pass of {@code loader}. */
    public Evaluation evaluate(Module model, DataLoader loader) {
        return evaluate(model, loader, loss, topK);
    }

    /**
     * Cross-entropy loss, accuracy, top-5 accuracy and the confusion matrix of {@code model} over
     * one pass of {@code loader}, without a trainer (no optimizer needed).
     */
    public static Evaluation evaluateWith(Module model, DataLoader loader) {
        return evaluate(model, loader, Losses::crossEntropy, 5);
    }

    private static Evaluation evaluate(Module model, DataLoader loader, BiFunction<Tensor, Tensor, Tensor> loss, int topK) {
        boolean wasTraining = model.isTraining();
        model.eval();
        Metrics m = new Metrics(loader.dataset().numClasses(), topK);
        try (Autograd.Scope s = Autograd.noGrad(); DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                Tensor logits = model.call(b.inputs());
                m.update(logits, b.labels(), loss.apply(logits, b.labels()).item());
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(m);
    }

    /**
     * Class probabilities [N, C] (softmax of the logits over the last axis) for a batch {@code input}
     * [N, ...], computed in eval mode without recording gradients.
     */
    public Tensor predict(Module model, Tensor input) {
        return predictWith(model, input);
    }

    /** {@link #predict} without a trainer, for loaded models. */
    public static Tensor predictWith(Module model, Tensor input) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            return model.call(input).softmax(-1);
        } finally {
            model.train(wasTraining);
        }
    }

    /** Trainer settings. Only the optimizer is required. */
    public static final class Builder {
        private Optimizer optimizer;
        private BiFunction<Tensor, Tensor, Tensor> loss = Losses::crossEntropy;
        private LrScheduler scheduler;
        private boolean schedulerPerBatch;
        private double clipNorm;
        private double clipValue;
        private long seed;
        private int topK = 5;
        private Regularizer regularizer;
        private MaxNorm constraint;

        public Builder optimizer(Optimizer o) {
            this.optimizer = o;
            return this;
        }

        /**
         * {@code (logits, target) -> scalar loss}; cross-entropy by default. The target is the batch's
         * {@link Batch#lossTarget()}: int32 labels, or float32 soft targets [B, classes] when a batch
         * transform such as mixup made them (the default cross-entropy takes both).
         */
        public Builder loss(BiFunction<Tensor, Tensor, Tensor> l) {
            this.loss = l;
            return this;
        }

        /** A scheduler stepped after every epoch ({@code perBatch} false) or every optimizer step. */
        public Builder scheduler(LrScheduler s, boolean perBatch) {
            this.scheduler = s;
            this.schedulerPerBatch = perBatch;
            return this;
        }

        /** Clips the global L2 norm of the gradients to {@code maxNorm} before each step (0: off). */
        public Builder clipGradNorm(double maxNorm) {
            this.clipNorm = check("clipGradNorm", maxNorm);
            return this;
        }

        /** Clips each gradient element to [-v, v] before each step (0: off). */
        public Builder clipGradValue(double v) {
            this.clipValue = check("clipGradValue", v);
            return this;
        }

        /** L1/L2 penalties whose gradients are added after each backward (null: none). */
        public Builder regularizer(Regularizer r) {
            this.regularizer = r;
            return this;
        }

        /** A max-norm constraint applied to the weights after each optimizer step (null: none). */
        public Builder constraint(MaxNorm c) {
            this.constraint = c;
            return this;
        }

        /** Seeds the run's {@link TrainContext#rng()}. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The k of the top-k accuracy in evaluations (5 by default). */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("Trainer: topK " + k + ": expected >= 1");
            }
            this.topK = k;
            return this;
        }

        private static double check(String what, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("Trainer: " + what + " " + v + ": expected a finite value >= 0");
            }
            return v;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
