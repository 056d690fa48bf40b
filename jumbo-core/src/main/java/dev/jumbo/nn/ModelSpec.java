package dev.jumbo.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jumbo.nn.SpecLayers.Field;
import dev.jumbo.nn.SpecLayers.Kind;
import dev.jumbo.nn.SpecLayers.Type;
import dev.jumbo.nn.zoo.ResNet;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON description of a model's architecture that rebuilds it (weights travel separately, as a
 * state dict). Two forms:
 *
 * <pre>{@code
 * {"zoo": "lenet5", "input_shape": [1, 28, 28]}
 * {"layers": [{"type": "Conv2d", "in_channels": 1, "out_channels": 6, "kernel_size": 5, "padding": 2},
 *             {"type": "ReLU"}, {"type": "MaxPool2d", "kernel_size": 2}, {"type": "Flatten"}, ...]}
 * }</pre>
 *
 * A layer list builds a {@link Sequential}; layer fields are PyTorch's argument names (with its
 * defaults); {@code "type": "Sequential"} nests a {@code "layers"} list. {@link #of(Module)} describes
 * a zoo model or a Sequential of spec layers; {@link #build(Rng)} makes a fresh, initialized model.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.fromJson(Files.readString(path), path.toString());
 * Module model = spec.build(new Rng(1));
 * String json = ModelSpec.of(model).toJson();
 * }</pre>
 *
 * Errors name the source, the field path and the value, e.g. {@code spec.json: layers[3].type:
 * unknown layer 'Conv3d', expected one of [Linear, Conv1d, ...]}.
 */
public final class ModelSpec {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> TOP_FIELDS = List.of("zoo", "layers", "ensemble", "input_shape",
            "stochastic_depth_prob");

    /** One layer: its type, its arguments (every field, defaults filled in), nested layers, its path. */
    private record Layer(Type type, Map<String, Object> args, List<Layer> layers, String path) {}

    private final String zoo;
    private final List<Layer> layers;
    private final int[] inputShape;
    private final String source;
    /** A zoo ResNet's stochastic depth probability (0: off). */
    private final double depthProb;
    /** An ensemble's combiner and members, or null. */
    private final Ensemble.Combiner combiner;
    private final List<ModelSpec> members;

    private ModelSpec(String zoo, List<Layer> layers, int[] inputShape, String source) {
        this(zoo, layers, inputShape, source, 0, null, null);
    }

    private ModelSpec(String zoo, List<Layer> layers, int[] inputShape, String source, double depthProb,
            Ensemble.Combiner combiner, List<ModelSpec> members) {
        this.zoo = zoo;
        this.layers = layers;
        this.inputShape = inputShape;
        this.source = source;
        this.depthProb = depthProb;
        this.combiner = combiner;
        this.members = members;
    }

    /** An ensemble's member specs, or null when this is not an ensemble. */
    public List<ModelSpec> members() {
        return members;
    }

    /** An ensemble's combiner, or null. */
    public Ensemble.Combiner combiner() {
        return combiner;
    }

    /** A spec for a zoo model (see {@link Zoo#names()}), with the zoo's input shape. */
    public static ModelSpec zoo(String name) {
        if (!Zoo.names().contains(name)) {
            throw new IllegalArgumentException("ModelSpec.zoo: unknown model '" + name + "', expected one of " + Zoo.names());
        }
        return new ModelSpec(name, null, Zoo.inputShape(name), "spec");
    }

    /** The zoo name, or null for a layer list. */
    public String zooName() {
        return zoo;
    }

    /** Input shape without the batch dimension (e.g. [1,28,28]), or null when the spec does not say. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** The same spec with an input shape (without the batch dimension). */
    public ModelSpec withInputShape(int... shape) {
        return new ModelSpec(zoo, layers, shape.clone(), source, depthProb, combiner, members);
    }

    /**
     * Describes {@code model}: a zoo model by name, a {@link Sequential} of spec layers as a layer list.
     *
     * @throws IllegalArgumentException naming the first module that is neither
     */
    public static ModelSpec of(Module model) {
        if (model instanceof Ensemble e) {
            List<ModelSpec> specs = new ArrayList<>();
            for (Module m : e.members()) {
                specs.add(of(m));
            }
            return new ModelSpec(null, null, e.inputShape(), "spec", 0, e.combiner(), List.copyOf(specs));
        }
        if (model.zooName() != null) {
            double p = model instanceof ResNet r ? r.stochasticDepthProb() : 0;
            return new ModelSpec(model.zooName(), null, Zoo.inputShape(model.zooName()), "spec", p, null, null);
        }
        if (!(model instanceof Sequential seq)) {
            throw new IllegalArgumentException("ModelSpec.of: " + model.typeName()
                    + " is neither a zoo model nor a Sequential of spec layers");
        }
        return new ModelSpec(null, describe(seq, "layers"), null, "spec");
    }

    private static List<Layer> describe(Sequential seq, String path) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < seq.size(); i++) {
            Module m = seq.get(i);
            String p = path + "[" + i + "]";
            Type t = SpecLayers.TYPES.get(m.typeName());
            if (t == null) {
                throw new IllegalArgumentException("ModelSpec.of: " + p + ": " + m.typeName()
                        + " is not a spec layer type, expected one of " + SpecLayers.TYPES.keySet());
            }
            if (m instanceof Sequential inner) {
                out.add(new Layer(t, Map.of(), describe(inner, p + ".layers"), p));
                continue;
            }
            Map<String, Object> cfg = m.config();
            if (!cfg.keySet().equals(new java.util.HashSet<>(t.fieldNames()))) {
                throw new IllegalStateException("ModelSpec.of: " + p + ": " + m.typeName() + " config " + cfg.keySet()
                        + " does not match its spec fields " + t.fieldNames());
            }
            out.add(new Layer(t, new LinkedHashMap<>(cfg), null, p));
        }
        return out;
    }

    /** A fresh model with weights initialized from {@code rng}. */
    public Module build(Rng rng) {
        if (members != null) {
            List<Module> built = new ArrayList<>();
            for (ModelSpec m : members) {
                built.add(m.build(rng));
            }
            return new Ensemble(combiner, built, inputShape, rng);
        }
        if (zoo != null) {
            Module m = Zoo.create(zoo, rng);
            if (depthProb > 0) {
                if (!(m instanceof ResNet r)) {
                    throw new IllegalArgumentException(source + ": stochastic_depth_prob: " + depthProb
                            + " for zoo model '" + zoo + "': expected a ResNet");
                }
                r.stochasticDepth(depthProb, rng.split());
            }
            return m;
        }
        return buildAll(layers, rng);
    }

    private Sequential buildAll(List<Layer> list, Rng rng) {
        Sequential seq = new Sequential();
        for (Layer l : list) {
            if (l.layers != null) {
                seq.add(buildAll(l.layers, rng));
                continue;
            }
            try {
                seq.add(l.type.factory().build(l.args, rng));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + l.path + ": " + e.getMessage(), e);
            }
        }
        return seq;
    }

    // ------------------------------------------------------------------ JSON

    /** The spec as indented JSON; every layer lists all of its fields. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(toNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ModelSpec.toJson: " + e.getOriginalMessage(), e);
        }
    }

    private ObjectNode toNode() {
        ObjectNode root = MAPPER.createObjectNode();
        if (members != null) {
            ObjectNode en = root.putObject("ensemble");
            en.put("combiner", combiner.id());
            ArrayNode arr = en.putArray("members");
            for (ModelSpec m : members) {
                arr.add(m.toNode());
            }
        } else if (zoo != null) {
            root.put("zoo", zoo);
            if (depthProb > 0) {
                root.put("stochastic_depth_prob", depthProb);
            }
        } else {
            root.set("layers", layersJson(layers));
        }
        if (inputShape != null) {
            ArrayNode a = root.putArray("input_shape");
            for (int v : inputShape) {
                a.add(v);
            }
        }
        return root;
    }

    private static ArrayNode layersJson(List<Layer> list) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (Layer l : list) {
            ObjectNode o = arr.addObject();
            o.put("type", l.type.name());
            if (l.layers != null) {
                o.set("layers", layersJson(l.layers));
                continue;
            }
            for (Field f : l.type.fields()) {
                Object v = l.args.get(f.name());
                if (v instanceof Integer i) {
                    o.put(f.name(), i);
                } else if (v instanceof Double d) {
                    o.put(f.name(), d);
                } else if (v instanceof Boolean b) {
                    o.put(f.name(), b);
                } else if (v instanceof String s) {
                    o.put(f.name(), s);
                } else if (v instanceof int[] ints) {
                    ArrayNode a = o.putArray(f.name());
                    for (int x : ints) {
                        a.add(x);
                    }
                } else if (v == null) {
                    o.putNull(f.name());
                }
            }
        }
        return arr;
    }

    /** Same as {@link #fromJson(String, String)} with source "spec". */
    public static ModelSpec fromJson(String json) {
        return fromJson(json, "spec");
    }

    /**
     * Parses and checks a spec; {@code source} (usually the file name) starts every error message.
     *
     * @throws IllegalArgumentException e.g. {@code spec.json: layers[1].kernal_size: unknown field of Conv2d,
     *     expected one of [in_channels, ...]}
     */
    public static ModelSpec fromJson(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new IllegalArgumentException(source + ": not valid JSON" + (loc == null ? "" : " at line "
                    + loc.getLineNr() + " column " + loc.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object with \"zoo\" or \"layers\"");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_FIELDS.contains(f)) {
                throw new IllegalArgumentException(source + ": " + f + ": unknown field, expected one of " + TOP_FIELDS);
            }
        }
        int forms = (root.has("zoo") ? 1 : 0) + (root.has("layers") ? 1 : 0) + (root.has("ensemble") ? 1 : 0);
        if (forms != 1) {
            throw new IllegalArgumentException(source + ": expected exactly one of \"zoo\", \"layers\" and \"ensemble\"");
        }
        int[] shape = root.has("input_shape") ? intList(root.get("input_shape"), source + ": input_shape") : null;
        if (root.has("stochastic_depth_prob") && !root.has("zoo")) {
            throw new IllegalArgumentException(source + ": stochastic_depth_prob: only for a zoo ResNet; "
                    + "layer lists set it per BasicBlock/Bottleneck");
        }
        if (root.has("ensemble")) {
            return parseEnsemble(root.get("ensemble"), shape, source);
        }
        if (root.has("zoo")) {
            JsonNode z = root.get("zoo");
            if (!z.isTextual() || !Zoo.names().contains(z.asText())) {
                throw new IllegalArgumentException(source + ": zoo: unknown model " + z + ", expected one of " + Zoo.names());
            }
            double p = 0;
            if (root.has("stochastic_depth_prob")) {
                JsonNode v = root.get("stochastic_depth_prob");
                p = (Double) read(Kind.DOUBLE, v, source + ": stochastic_depth_prob");
                if (!(p >= 0 && p < 1)) {
                    throw new IllegalArgumentException(source + ": stochastic_depth_prob: " + p + ", expected a probability in [0, 1)");
                }
            }
            return new ModelSpec(z.asText(), null, shape == null ? Zoo.inputShape(z.asText()) : shape, source, p, null, null);
        }
        return new ModelSpec(null, parseLayers(root.get("layers"), "layers", source), shape, source);
    }

    private static ModelSpec parseEnsemble(JsonNode node, int[] shape, String source) {
        String where = source + ": ensemble";
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": " + node + " is not an object with \"combiner\" and \"members\"");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("combiner") && !f.equals("members")) {
                throw new IllegalArgumentException(where + "." + f + ": unknown field, expected one of [combiner, members]");
            }
        }
        JsonNode c = node.get("combiner");
        if (c == null || !c.isTextual()) {
            throw new IllegalArgumentException(where + ".combiner: " + (c == null ? "missing" : c + " is not a string")
                    + ", expected one of hard, soft, weighted, stacking");
        }
        Ensemble.Combiner combiner;
        try {
            combiner = Ensemble.Combiner.of(c.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".combiner: " + e.getMessage(), e);
        }
        JsonNode ms = node.get("members");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            throw new IllegalArgumentException(where + ".members: " + (ms == null ? "missing" : ms)
                    + ", expected a non-empty list of model specs");
        }
        List<ModelSpec> members = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            members.add(fromJson(ms.get(i).toString(), where + ".members[" + i + "]"));
        }
        int[] in = shape;
        if (in == null) {
            for (ModelSpec m : members) {
                in = in == null ? m.inputShape() : in;
            }
        }
        if (in == null) {
            throw new IllegalArgumentException(source + ": input_shape: missing, an ensemble of layer lists requires it");
        }
        return new ModelSpec(null, null, in, source, 0, combiner, List.copyOf(members));
    }

    private static List<Layer> parseLayers(JsonNode node, String path, String source) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(source + ": " + path + ": " + node + " is not a list of layers");
        }
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(parseLayer(node.get(i), path + "[" + i + "]", source));
        }
        return out;
    }

    private static Layer parseLayer(JsonNode node, String path, String source) {
        String where = source + ": " + path;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": " + node + " is not a layer object");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new IllegalArgumentException(where + ".type: " + (typeNode == null ? "missing" : typeNode
                    + " is not a layer name") + ", expected one of " + SpecLayers.TYPES.keySet());
        }
        Type type = SpecLayers.TYPES.get(typeNode.asText());
        if (type == null) {
            throw new IllegalArgumentException(where + ".type: unknown layer '" + typeNode.asText()
                    + "', expected one of " + SpecLayers.TYPES.keySet());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("type") && type.field(f) == null) {
                throw new IllegalArgumentException(where + "." + f + ": unknown field of " + type.name()
                        + ", expected one of " + type.fieldNames());
            }
        }
        if (type.name().equals("Sequential")) {
            if (!node.has("layers")) {
                throw new IllegalArgumentException(where + ".layers: missing, Sequential requires it");
            }
            return new Layer(type, Map.of(), parseLayers(node.get("layers"), path + ".layers", source), path);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (Field f : type.fields()) {
            JsonNode v = node.get(f.name());
            String fp = where + "." + f.name();
            if (v == null || v.isNull()) {
                if (isRequired(f)) {
                    throw new IllegalArgumentException(fp + ": missing, " + type.name() + " requires it");
                }
                Object d = f.defaultValue();
                args.put(f.name(), d instanceof int[] a ? a.clone() : d);
            } else {
                args.put(f.name(), read(f.kind(), v, fp));
            }
        }
        if (args.containsKey("stride") && args.get("stride") == null) {
            args.put("stride", ((int[]) args.get("kernel_size")).clone()); // pools: stride defaults to the kernel
        }
        return new Layer(type, args, null, path);
    }

    /** Required fields have no default, except pool strides whose null default means "the kernel size". */
    private static boolean isRequired(Field f) {
        return f.defaultValue() == null && !f.name().equals("stride");
    }

    private static Object read(Kind kind, JsonNode v, String fp) {
        switch (kind) {
            case INT -> {
                return integer(v, fp);
            }
            case INT_PAIR -> {
                if (v.isArray()) {
                    int[] a = intList(v, fp);
                    if (a.length != 2) {
                        throw new IllegalArgumentException(fp + ": " + v + " has " + a.length
                                + " values, expected one integer or two [h, w]");
                    }
                    return a;
                }
                int x = integer(v, fp);
                return new int[] {x, x};
            }
            case INT_LIST -> {
                return v.isArray() ? intList(v, fp) : new int[] {integer(v, fp)};
            }
            case BOOL -> {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException(fp + ": " + v + " is not true or false");
                }
                return v.booleanValue();
            }
            case DOUBLE -> {
                if (!v.isNumber()) {
                    throw new IllegalArgumentException(fp + ": " + v + " is not a number");
                }
                return v.doubleValue();
            }
            case STRING -> {
                if (!v.isTextual()) {
                    throw new IllegalArgumentException(fp + ": " + v + " is not a string");
                }
                return v.asText();
            }
            default -> throw new IllegalArgumentException(fp + ": unexpected field kind " + kind);
        }
    }

    private static int integer(JsonNode v, String fp) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(fp + ": " + v + " is not an integer");
        }
        return v.intValue();
    }

    private static int[] intList(JsonNode v, String fp) {
        if (!v.isArray()) {
            throw new IllegalArgumentException(fp + ": " + v + " is not a list of integers");
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(v.get(i), fp + "[" + i + "]");
        }
        return out;
    }

    /** A config value as text: arrays as {@code [3, 3]}, doubles without noise. */
    static String str(Object v) {
        return v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && s.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
