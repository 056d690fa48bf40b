package dev.jumbo.train;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small tensor state dicts (a scheduler's counters) as strings for checkpoint metadata:
 * {@code "f:<shape>:<floats>"} or {@code "i:<shape>:<ints>"}; floats round-trip exactly.
 */
final class StateStrings {
    private StateStrings() {}

    static void encode(String prefix, Map<String, Tensor> state, Map<String, String> out) {
        state.forEach((k, t) -> {
            StringBuilder sb = new StringBuilder(t.isFloat() ? "f:" : "i:");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : "x").append(shape[i]);
            }
            sb.append(':');
            if (t.isFloat()) {
                float[] v = t.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
                }
            } else {
                int[] v = t.toIntArray();
                for (int i = 0; i < v.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(v[i]);
                }
            }
            out.put(prefix + k, sb.toString());
        });
    }

    static Map<String, Tensor> decode(String prefix, Map<String, String> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        in.forEach((k, s) -> {
            if (!k.startsWith(prefix)) {
                return;
            }
            String[] parts = s.split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("checkpoint state " + k + " '" + s + "': expected f|i:<shape>:<values>");
            }
            int[] shape = parts[1].isEmpty() ? new int[0] : parseInts(parts[1].split("x"));
            String[] vals = parts[2].isEmpty() ? new String[0] : parts[2].split(",");
            Tensor t;
            if (parts[0].equals("f")) {
                float[] v = new float[vals.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.parseFloat(vals[i]);
                }
                t = Tensor.of(v, shape);
            } else {
                t = Tensor.ofInts(parseInts(vals), shape);
            }
            out.put(k.substring(prefix.length()), t);
        });
        return out;
    }

    private static int[] parseInts(String[] s) {
        int[] v = new int[s.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Integer.parseInt(s[i]);
        }
        return v;
    }
}
