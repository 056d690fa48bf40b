package dev.jumbo.nn;

import dev.jumbo.tensor.Tensor;
import java.util.Locale;

/** The text table behind {@link Module#summary()}. */
final class Summary {
    private Summary() {}

    static String table(Module root) {
        var modules = root.namedModules();
        int nameW = "name".length();
        int typeW = "type".length();
        for (var e : modules.entrySet()) {
            nameW = Math.max(nameW, label(e.getKey()).length());
            typeW = Math.max(typeW, e.getValue().typeName().length());
        }
        String fmt = "%-" + nameW + "s  %-" + typeW + "s  %12s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "name", "type", "params"));
        for (var e : modules.entrySet()) {
            long own = 0;
            for (Tensor t : e.getValue().localParameters().values()) {
                own += t.numel();
            }
            sb.append(String.format(Locale.ROOT, fmt, label(e.getKey()), e.getValue().typeName(), group(own)));
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

    private static String label(String name) {
        return name.isEmpty() ? "(model)" : name;
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
