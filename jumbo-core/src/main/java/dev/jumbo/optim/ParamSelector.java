package dev.jumbo.optim;

import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Picks a model's parameters by dotted name with glob patterns: {@code *} matches any run of
 * characters (dots included), {@code ?} one character. No pattern selects every parameter.
 *
 * <pre>{@code
 * ParamSelector s = new ParamSelector("*.weight", "fc.*");
 * s.select(model); // {conv1.weight=..., fc.weight=..., fc.bias=...}
 * }</pre>
 */
public record ParamSelector(List<String> globs) {
    public ParamSelector {
        globs = List.copyOf(globs);
        for (String g : globs) {
            if (g == null || g.isEmpty()) {
                throw new IllegalArgumentException("ParamSelector: pattern '" + g + "': expected a non-empty glob");
            }
        }
    }

    public ParamSelector(String... globs) {
        this(List.of(globs));
    }

    /** True when {@code name} matches one of the patterns (or there are none). */
    public boolean matches(String name) {
        if (globs.isEmpty()) {
            return true;
        }
        for (String g : globs) {
            if (regex(g).matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The selected parameters of {@code model}, by name, in registration order. */
    public Map<String, Tensor> select(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, t) -> {
            if (matches(k)) {
                out.put(k, t);
            }
        });
        return out;
    }

    /** Compiled globs: selection runs on every training step (penalties), so each glob compiles once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> COMPILED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Pattern regex(String glob) {
        return COMPILED.computeIfAbsent(glob, ParamSelector::compile);
    }

    private static Pattern compile(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }

    @Override
    public String toString() {
        return globs.isEmpty() ? "all parameters" : String.join(",", globs);
    }
}
