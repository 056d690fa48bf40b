package dev.jumbo.optim;

import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers: parameter groups, {@link #step()}, {@link #zeroGrad()}, learning-rate
 * access for schedulers and a state dict for checkpoints.
 *
 * <p>Parameters are numbered across groups in order (0, 1, ...), as in PyTorch. Per-parameter state
 * is a step count and named float buffers of the parameter's size (e.g. {@code exp_avg}), allocated
 * on the parameter's first step; afterwards a step allocates nothing per parameter but the parallel
 * region of a large update. Parameters without a gradient are skipped.
 *
 * <p>The state dict maps PyTorch-style dotted names to tensors: {@code state.3.step} (int32 scalar),
 * {@code state.3.exp_avg} (float32, the parameter's shape), {@code param_groups.0.lr} (float32
 * scalar) and {@code param_groups.0.params} (int32 indices), so one safetensors file holds a whole
 * checkpoint. Every value round-trips exactly, so a restored optimizer continues bit-identically.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(AdamW.options().lr(1e-3).weightDecay(0.01), model.parameters());
 * loss.backward();
 * opt.step();
 * opt.zeroGrad();
 * Map<String, Tensor> saved = opt.stateDict();  // ... later: opt.loadStateDict(saved)
 * }</pre>
 */
public abstract class Optimizer {
    private final String name;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private final String[] bufferNames;
    private final Map<String, Double> defaults;
    private int[] steps = new int[0];
    private float[][][] buffers = new float[0][][];

    /**
     * @param name        the optimizer's name in error messages
     * @param defaults    options for groups that do not set them
     * @param bufferNames the names of the per-parameter state buffers, in state dict order
     */
    protected Optimizer(String name, Map<String, Double> defaults, String[] bufferNames, List<ParamGroup> groups) {
        this.name = name;
        this.bufferNames = bufferNames.clone();
        this.defaults = new LinkedHashMap<>(defaults);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(name + ": no parameter groups: expected at least one");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g, defaults);
        }
    }

    static List<ParamGroup> single(List<Tensor> params) {
        return List.of(new ParamGroup(params));
    }

    private void addParamGroup(ParamGroup group, Map<String, Double> defaults) {
        int gi = groups.size();
        if (group.params().isEmpty()) {
            throw new IllegalArgumentException(name + ": param group " + gi + " has no parameters: expected at least one");
        }
        defaults.forEach(group::putDefault);
        validate(group, gi);
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor p : params) {
            seen.put(p, Boolean.TRUE);
        }
        for (Tensor p : group.params()) {
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException(name + ": a parameter of shape " + Shapes.str(p.shape())
                        + " appears twice in the parameter groups: expected each parameter once");
            }
            if (!p.isFloat() || !p.isContiguous() || !(p.storage() instanceof dev.jumbo.tensor.FloatStorage)) {
                throw new IllegalArgumentException(name + ": parameter " + params.size() + " of shape "
                        + Shapes.str(p.shape()) + " is not a contiguous heap float32 tensor: expected one");
            }
            params.add(p);
        }
        groups.add(group);
        int n = params.size();
        steps = Arrays.copyOf(steps, n);
        buffers = Arrays.copyOf(buffers, n);
        for (int i = 0; i < n; i++) {
            if (buffers[i] == null) {
                buffers[i] = new float[bufferNames.length][];
            }
        }
    }

    /** Adds a group (e.g. layers unfrozen mid-training); options it does not set come from the defaults. */
    public void addParamGroup(ParamGroup group) {
        addParamGroup(group, defaults);
    }

    /** Checks a group's options; throws naming the option, its value and the group. */
    protected abstract void validate(ParamGroup group, int index);

    /**
     * Updates one parameter in place. {@code step} is its 1-based step count after this update;
     * buffers come from {@link #buffer}.
     */
    protected abstract void update(ParamGroup group, int index, float[] p, int pOff, float[] g, int gOff, int n, int step);

    /** Performs one optimization step on every parameter that has a gradient. */
    public final void step() {
        int idx = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup group = groups.get(gi);
            List<Tensor> ps = group.params();
            for (int k = 0; k < ps.size(); k++, idx++) {
                Tensor p = ps.get(k);
                Tensor g = p.grad();
                if (g == null) {
                    continue;
                }
                Tensor gc = g.contiguous();
                steps[idx]++;
                update(group, idx, p.data(), p.offset(), gc.data(), gc.offset(), p.numel(), steps[idx]);
            }
        }
    }

    /** Clears every parameter's gradient (PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** The state buffer {@code k} (index into the buffer names) of parameter {@code index}, zeros at first use. */
    protected final float[] buffer(int index, int k) {
        float[] b = buffers[index][k];
        if (b == null) {
            b = new float[params.get(index).numel()];
            buffers[index][k] = b;
        }
        return b;
    }

    /** Whether buffer {@code k} of parameter {@code index} exists (SGD's first momentum step). */
    protected final boolean hasBuffer(int index, int k) {
        return buffers[index][k] != null;
    }

    public List<ParamGroup> paramGroups() {
        return List.copyOf(groups);
    }

    /** All parameters, in index order. */
    public List<Tensor> params() {
        return List.copyOf(params);
    }

    /** The learning rate of group 0. */
    public double lr() {
        return lr(0);
    }

    public double lr(int group) {
        return groups.get(group).lr();
    }

    /** Sets the learning rate of every group. */
    public void setLr(double lr) {
        for (ParamGroup g : groups) {
            g.lr(lr);
        }
    }

    public void setLr(int group, double lr) {
        groups.get(group).lr(lr);
    }

    /** The step count of parameter {@code index} (0 before its first update). */
    public int stepCount(int index) {
        return steps[index];
    }

    /** A snapshot (copies) of the state and the group options; see the class comment for names. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            if (steps[i] == 0) {
                continue;
            }
            out.put("state." + i + ".step", Tensor.ofInts(new int[] {steps[i]}));
            for (int k = 0; k < bufferNames.length; k++) {
                float[] b = buffers[i][k];
                if (b != null) {
                    out.put("state." + i + "." + bufferNames[k], Tensor.of(b.clone(), params.get(i).shape()));
                }
            }
        }
        int idx = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            for (var e : g.options().entrySet()) {
                out.put("param_groups." + gi + "." + e.getKey(), Tensor.scalar(e.getValue().floatValue()));
            }
            int[] ids = new int[g.params().size()];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = idx++;
            }
            out.put("param_groups." + gi + ".params", Tensor.ofInts(ids, ids.length));
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()} of an optimizer of the same kind over parameters of the same
     * shapes. Everything is checked before anything changes: a bad dict leaves this optimizer as it was.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        int[] newSteps = new int[params.size()];
        float[][][] newBuffers = new float[params.size()][bufferNames.length][];
        List<Map<String, Double>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            String prefix = "param_groups." + gi + ".";
            Tensor ids = state.get(prefix + "params");
            if (ids == null) {
                throw new IllegalArgumentException(name + ".loadStateDict: missing '" + prefix + "params': expected "
                        + groups.size() + " param groups");
            }
            if (ids.numel() != groups.get(gi).params().size()) {
                throw new IllegalArgumentException(name + ".loadStateDict: '" + prefix + "params' lists " + ids.numel()
                        + " parameters: expected " + groups.get(gi).params().size());
            }
            Map<String, Double> opts = new LinkedHashMap<>();
            for (var e : state.entrySet()) {
                String key = e.getKey();
                if (key.startsWith(prefix) && !key.equals(prefix + "params")) {
                    opts.put(key.substring(prefix.length()), (double) e.getValue().item());
                }
            }
            for (String required : groups.get(gi).options().keySet()) {
                if (!opts.containsKey(required)) {
                    throw new IllegalArgumentException(name + ".loadStateDict: missing '" + prefix + required + "'");
                }
            }
            newOptions.add(opts);
        }
        if (state.containsKey("param_groups." + groups.size() + ".params")) {
            throw new IllegalArgumentException(name + ".loadStateDict: the state has more than " + groups.size()
                    + " param groups: expected " + groups.size());
        }
        List<String> known = new ArrayList<>(Arrays.asList(bufferNames));
        known.add("step");
        for (String key : state.keySet()) {
            if (!key.startsWith("state.")) {
                continue;
            }
            String[] parts = key.split("\\.", 3);
            int index = parts.length == 3 && parts[1].matches("\\d{1,9}") ? Integer.parseInt(parts[1]) : -1;
            if (index < 0 || index >= params.size() || !known.contains(parts[2])) {
                throw new IllegalArgumentException(name + ".loadStateDict: unknown key '" + key + "': expected state.<0.."
                        + (params.size() - 1) + ">.<" + String.join("|", known) + ">");
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor s = state.get("state." + i + ".step");
            if (s == null) {
                continue;
            }
            newSteps[i] = s.getInt();
            for (int k = 0; k < bufferNames.length; k++) {
                String key = "state." + i + "." + bufferNames[k];
                Tensor b = state.get(key);
                if (b == null) {
                    continue;
                }
                if (!Arrays.equals(b.shape(), params.get(i).shape())) {
                    throw new IllegalArgumentException(name + ".loadStateDict: '" + key + "' has shape "
                            + Shapes.str(b.shape()) + ": expected " + Shapes.str(params.get(i).shape())
                            + " like parameter " + i);
                }
                newBuffers[i][k] = b.toFloatArray();
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) { // validate on copies first: nothing changes on a bad value
            ParamGroup trial = new ParamGroup(groups.get(gi).params());
            groups.get(gi).options().forEach(trial::set);
            newOptions.get(gi).forEach(trial::set);
            validate(trial, gi);
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            newOptions.get(gi).forEach(groups.get(gi)::set);
        }
        steps = newSteps;
        buffers = newBuffers;
    }

    /** Throws unless {@code lo <= value} (or {@code <} when {@code openLo}) and {@code value < hi} / {@code <= hi}. */
    protected final void checkRange(ParamGroup group, int gi, String option, double lo, boolean openLo, double hi,
                                    boolean openHi) {
        double v = group.get(option);
        boolean ok = (openLo ? v > lo : v >= lo) && (openHi ? v < hi : v <= hi);
        if (!ok) {
            String range = fmt(lo) + (openLo ? " < " : " <= ") + option + (openHi ? " < " : " <= ") + fmt(hi);
            throw new IllegalArgumentException(name + ": " + option + " = " + fmt(v) + " in param group " + gi
                    + ": expected " + range.replace(" <= Infinity", "").replace(" < Infinity", ""));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Float.toString((float) v); // values are float32
    }

    /** The option as a flag (non-zero is true). */
    protected static boolean flag(ParamGroup group, String option) {
        return group.get(option) != 0;
    }
}
