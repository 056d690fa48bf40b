package dev.jumbo.nn;

import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text table behind {@link Module#summary()}: name, type, (output shape,) own parameters, totals. */
final class Summary {
    private Summary() {}

    static String table(Module root, int[] inputShape) {
        var modules = root.namedModules();
        Map<Module, String> shapes = inputShape == null ? null : outputShapes(root, inputShape);
        int nameW = "name".length();
        int typeW = "type".length();
        int shapeW = "output".length();
        for (var e : modules.entrySet()) {
            nameW = Math.max(nameW, label(e.getKey()).length());
            typeW = Math.max(typeW, e.getValue().typeName().length());
            if (shapes != null) {
                shapeW = Math.max(shapeW, shapes.getOrDefault(e.getValue(), "-").length());
            }
        }
        String fmt = shapes == null ? "%-" + nameW + "s  %-" + typeW + "s  %12s%n"
                : "%-" + nameW + "s  %-" + typeW + "s  %-" + shapeW + "s  %12s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(shapes == null ? String.format(Locale.ROOT, fmt, "name", "type", "params")
                : String.format(Locale.ROOT, fmt, "name", "type", "output", "params"));
        for (var e : modules.entrySet()) {
            long own = 0;
            for (Tensor t : e.getValue().localParameters().values()) {
                own += t.numel();
            }
            String name = label(e.getKey());
            String type = e.getValue().typeName();
            sb.append(shapes == null ? String.format(Locale.ROOT, fmt, name, type, group(own))
                    : String.format(Locale.ROOT, fmt, name, type, shapes.getOrDefault(e.getValue(), "-"), group(own)));
        }
        long buffers = 0;
        for (Tensor t : root.namedBuffers().values()) {
            buffers += t.numel();
        }
        long total = root.parameterCount();
        sb.append(String.format(Locale.ROOT, "total params %s, trainable %s, buffers %s, %.2f MB float32%n",
                group(total), group(root.trainableParameterCount()), group(buffers), (total + buffers) * 4 / 1e6));
        return sb.toString();
    }

    /** Output shape of every module reached through {@link Module#call}, from one eval forward of zeros. */
    private static Map<Module, String> outputShapes(Module root, int[] inputShape) {
        Map<Module, String> shapes = new IdentityHashMap<>();
        Map<Module, Boolean> modes = new IdentityHashMap<>();
        List<Module.HookHandle> handles = new ArrayList<>();
        root.apply(m -> {
            modes.put(m, m.isTraining());
            handles.add(m.addForwardHook((mod, in, out) -> shapes.put(mod, Shapes.str(out.shape()))));
        });
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 1;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        root.eval();
        try (var ignored = Autograd.noGrad()) {
            root.call(Tensor.zeros(shape));
        } finally {
            handles.forEach(Module.HookHandle::close);
            modes.forEach(Module::trainingFlag);
        }
        return shapes;
    }

    private static String label(String name) {
        return name.isEmpty() ? "(model)" : name;
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
