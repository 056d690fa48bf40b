package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer types a {@link ModelSpec} layer list may name: for each, its JSON fields (PyTorch
 * argument names, with PyTorch's defaults) and how to build it. A module's {@link Module#config()}
 * returns exactly these fields, which is what makes spec → module → spec a round trip.
 */
final class SpecLayers {
    private SpecLayers() {}

    /** How a field's JSON value is read. */
    enum Kind { INT, INT_PAIR, INT_LIST, BOOL, DOUBLE, STRING, LAYERS }

    /** A field with its default ({@code null}: required). */
    record Field(String name, Kind kind, Object defaultValue) {}

    /** Builds a module from checked, defaulted arguments. */
    interface Factory {
        Module build(Map<String, Object> a, Rng rng);
    }

    record Type(String name, List<Field> fields, Factory factory) {
        Field field(String n) {
            for (Field f : fields) {
                if (f.name.equals(n)) {
                    return f;
                }
            }
            return null;
        }

        List<String> fieldNames() {
            return fields.stream().map(Field::name).toList();
        }
    }

    static final Map<String, Type> TYPES = new LinkedHashMap<>();

    private static Field req(String n, Kind k) {
        return new Field(n, k, null);
    }

    private static Field opt(String n, Kind k, Object d) {
        return new Field(n, k, d);
    }

    private static void add(String name, Factory f, Field... fields) {
        TYPES.put(name, new Type(name, List.of(fields), f));
    }

    private static int i(Map<String, Object> a, String n) {
        return (Integer) a.get(n);
    }

    private static int[] p(Map<String, Object> a, String n) {
        return (int[]) a.get(n);
    }

    private static double d(Map<String, Object> a, String n) {
        return (Double) a.get(n);
    }

    private static boolean b(Map<String, Object> a, String n) {
        return (Boolean) a.get(n);
    }

    static {
        Kind I = Kind.INT, P = Kind.INT_PAIR, B = Kind.BOOL, D = Kind.DOUBLE;
        add("Linear", (a, r) -> new Linear(i(a, "in_features"), i(a, "out_features"), b(a, "bias"), r),
                req("in_features", I), req("out_features", I), opt("bias", B, true));
        add("Conv1d", (a, r) -> new Conv1d(i(a, "in_channels"), i(a, "out_channels"), i(a, "kernel_size"),
                        i(a, "stride"), i(a, "padding"), i(a, "dilation"), i(a, "groups"), b(a, "bias"), r),
                req("in_channels", I), req("out_channels", I), req("kernel_size", I), opt("stride", I, 1),
                opt("padding", I, 0), opt("dilation", I, 1), opt("groups", I, 1), opt("bias", B, true));
        add("Conv2d", (a, r) -> new Conv2d(i(a, "in_channels"), i(a, "out_channels"), p(a, "kernel_size"),
                        p(a, "stride"), p(a, "padding"), p(a, "dilation"), i(a, "groups"), b(a, "bias"), r),
                req("in_channels", I), req("out_channels", I), req("kernel_size", P), opt("stride", P, new int[] {1, 1}),
                opt("padding", P, new int[] {0, 0}), opt("dilation", P, new int[] {1, 1}), opt("groups", I, 1),
                opt("bias", B, true));
        add("MaxPool2d", (a, r) -> new MaxPool2d(p(a, "kernel_size"), p(a, "stride"), p(a, "padding")),
                req("kernel_size", P), opt("stride", P, null /* the kernel size, filled in by ModelSpec */), opt("padding", P, new int[] {0, 0}));
        add("AvgPool2d", (a, r) -> new AvgPool2d(p(a, "kernel_size"), p(a, "stride"), p(a, "padding")),
                req("kernel_size", P), opt("stride", P, null /* the kernel size, filled in by ModelSpec */), opt("padding", P, new int[] {0, 0}));
        add("AdaptiveAvgPool2d", (a, r) -> new AdaptiveAvgPool2d(p(a, "output_size")[0], p(a, "output_size")[1]),
                req("output_size", P));
        add("BatchNorm1d", (a, r) -> new BatchNorm1d(i(a, "num_features"), d(a, "eps"), d(a, "momentum"), b(a, "affine")),
                req("num_features", I), opt("eps", D, 1e-5), opt("momentum", D, 0.1), opt("affine", B, true));
        add("BatchNorm2d", (a, r) -> new BatchNorm2d(i(a, "num_features"), d(a, "eps"), d(a, "momentum"), b(a, "affine")),
                req("num_features", I), opt("eps", D, 1e-5), opt("momentum", D, 0.1), opt("affine", B, true));
        add("LayerNorm", (a, r) -> new LayerNorm((int[]) a.get("normalized_shape"), d(a, "eps"), b(a, "elementwise_affine")),
                req("normalized_shape", Kind.INT_LIST), opt("eps", D, 1e-5), opt("elementwise_affine", B, true));
        add("RMSNorm", (a, r) -> new RMSNorm(i(a, "normalized_shape"), d(a, "eps"), b(a, "elementwise_affine")),
                req("normalized_shape", I), opt("eps", D, RMSNorm.DEFAULT_EPS), opt("elementwise_affine", B, true));
        add("Dropout", (a, r) -> new Dropout(d(a, "p"), r.split()), opt("p", D, 0.5));
        add("Embedding", (a, r) -> new Embedding(i(a, "num_embeddings"), i(a, "embedding_dim"), r),
                req("num_embeddings", I), req("embedding_dim", I));
        add("Flatten", (a, r) -> new Flatten(i(a, "start_dim")), opt("start_dim", I, 1));
        add("ReLU", (a, r) -> new ReLU());
        add("ReLU6", (a, r) -> new ReLU6());
        add("LeakyReLU", (a, r) -> new LeakyReLU(d(a, "negative_slope")), opt("negative_slope", D, 0.01));
        add("GELU", (a, r) -> new GELU((String) a.get("approximate")), opt("approximate", Kind.STRING, "none"));
        add("SiLU", (a, r) -> new SiLU());
        add("Tanh", (a, r) -> new Tanh());
        add("Sigmoid", (a, r) -> new Sigmoid());
        add("Softmax", (a, r) -> new Softmax(i(a, "dim")), req("dim", I));
        add("LogSoftmax", (a, r) -> new LogSoftmax(i(a, "dim")), req("dim", I));
        add("Identity", (a, r) -> new Identity());
        add("BasicBlock", (a, r) -> new BasicBlock(i(a, "inplanes"), i(a, "planes"), i(a, "stride"), r)
                        .stochasticDepth(d(a, "stochastic_depth_prob"), d(a, "stochastic_depth_prob") > 0 ? r.split() : null),
                req("inplanes", I), req("planes", I), opt("stride", I, 1), opt("stochastic_depth_prob", D, 0.0));
        add("Bottleneck", (a, r) -> new Bottleneck(i(a, "inplanes"), i(a, "planes"), i(a, "stride"), r)
                        .stochasticDepth(d(a, "stochastic_depth_prob"), d(a, "stochastic_depth_prob") > 0 ? r.split() : null),
                req("inplanes", I), req("planes", I), opt("stride", I, 1), opt("stochastic_depth_prob", D, 0.0));
        add("Sequential", (a, r) -> {
            throw new IllegalStateException("Sequential is built by ModelSpec");
        }, req("layers", Kind.LAYERS));
    }
}
