package dev.jumbo.train;

import dev.jumbo.io.Safetensors;
import dev.jumbo.io.SafetensorsFile;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ResidualBlock;
import dev.jumbo.optim.LrScheduler;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole state of a training run in one safetensors file, written atomically: tensors
 * {@code model.*} (the state dict), {@code optimizer.*}, {@code scheduler.*}; metadata with the
 * position ({@code epoch}, {@code batch}, {@code global_step}), the running sums of the current
 * epoch, each optimizer group's exact learning rate, the run's {@link Rng} state, every
 * {@link Dropout}'s generator state ({@code rng.module.<name>}) and each callback's
 * {@link Callback#saveState} ({@code callback.<index>.<Class>.<key>}).
 */
final class TrainingCheckpoint {
    static final String FORMAT = "jumbo-training-checkpoint/1";

    private TrainingCheckpoint() {}

    /** Saves {@code ctx}'s run as positioned at ({@code epoch}, {@code batch}) with the given running sums. */
    static void save(Path file, TrainContext ctx, int epoch, int batch, double lossSum, long seen, long correct)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ctx.model().stateDict().forEach((k, t) -> tensors.put("model." + k, t));
        ctx.optimizer().stateDict().forEach((k, t) -> tensors.put("optimizer." + k, t));
        LrScheduler sched = ctx.scheduler();
        if (sched != null) {
            sched.stateDict().forEach((k, t) -> tensors.put("scheduler." + k, t));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("batch", Integer.toString(batch));
        meta.put("global_step", Long.toString(ctx.globalStep()));
        meta.put("loss_sum", Double.toString(lossSum));
        meta.put("seen", Long.toString(seen));
        meta.put("correct", Long.toString(correct));
        meta.put("rng", longs(ctx.rng().state()));
        for (int g = 0; g < ctx.optimizer().paramGroups().size(); g++) {
            meta.put("lr." + g, Double.toString(ctx.optimizer().lr(g)));
        }
        ctx.model().namedModules().forEach((name, m) -> {
            if (m instanceof Dropout d) {
                meta.put("rng.module." + name, longs(d.rng().state()));
            } else if (m instanceof ResidualBlock b && b.depthRng() != null) {
                meta.put("rng.module." + name, longs(b.depthRng().state()));
            }
        });
        List<Callback> cbs = ctx.callbacks();
        for (int i = 0; i < cbs.size(); i++) {
            Map<String, String> s = new LinkedHashMap<>();
            cbs.get(i).saveState(s);
            String prefix = callbackPrefix(i, cbs.get(i));
            s.forEach((k, v) -> meta.put(prefix + k, v));
        }
        Safetensors.write(file, tensors, meta);
    }

    /** Loads {@code file} into the run of {@code ctx} and positions it; errors name the file. */
    static void restore(Path file, TrainContext ctx) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + ": metadata format '" + meta.get("format") + "': expected " + FORMAT);
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optim = new LinkedHashMap<>();
        Map<String, Tensor> sched = new LinkedHashMap<>();
        for (String name : f.names()) {
            Tensor t = f.get(name);
            if (name.startsWith("model.")) {
                model.put(name.substring(6), t);
            } else if (name.startsWith("optimizer.")) {
                optim.put(name.substring(10), t);
            } else if (name.startsWith("scheduler.")) {
                sched.put(name.substring(10), t);
            }
        }
        try {
            ctx.model().loadStateDict(model, true);
            ctx.optimizer().loadStateDict(optim);
            if (ctx.scheduler() != null) {
                ctx.scheduler().loadStateDict(sched);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        for (int g = 0; g < ctx.optimizer().paramGroups().size(); g++) {
            String lr = meta.get("lr." + g);
            if (lr != null) {
                ctx.optimizer().setLr(g, Double.parseDouble(lr));
            }
        }
        ctx.rng(Rng.fromState(parseLongs(file, "rng", meta.get("rng"))));
        ctx.model().namedModules().forEach((name, m) -> {
            String key = "rng.module." + name;
            if (!meta.containsKey(key)) {
                return;
            }
            Rng r = Rng.fromState(parseLongs(file, key, meta.get(key)));
            if (m instanceof Dropout d) {
                d.rng(r);
            } else if (m instanceof ResidualBlock b) {
                b.depthRng(r);
            }
        });
        List<Callback> cbs = ctx.callbacks();
        for (int i = 0; i < cbs.size(); i++) {
            String prefix = callbackPrefix(i, cbs.get(i));
            Map<String, String> s = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    s.put(k.substring(prefix.length()), v);
                }
            });
            cbs.get(i).loadState(s);
        }
        ctx.resumeAt(intField(file, meta, "epoch"), intField(file, meta, "batch"),
                Long.parseLong(meta.get("global_step")), Double.parseDouble(meta.get("loss_sum")),
                Long.parseLong(meta.get("seen")), Long.parseLong(meta.get("correct")));
    }

    private static String callbackPrefix(int i, Callback cb) {
        return "callback." + i + "." + cb.getClass().getSimpleName() + ".";
    }

    private static int intField(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": metadata " + key + " '" + v + "': expected an integer");
        }
    }

    private static String longs(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }

    private static long[] parseLongs(Path file, String key, String s) {
        try {
            String[] parts = s.split(",");
            long[] out = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Long.parseLong(parts[i].trim());
            }
            return out;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": metadata " + key + " '" + s + "': expected comma-separated longs");
        }
    }
}
