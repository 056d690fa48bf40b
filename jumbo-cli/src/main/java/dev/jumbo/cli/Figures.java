package dev.jumbo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures a command reports, in order: printed as a two-column table for people, or as one
 * JSON object on one line (the last stdout line) with {@code --json}.
 *
 * <pre>{@code
 * new Figures("info").add("cores", "cores", 2, "").print(out, json);
 * }</pre>
 */
public final class Figures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Row(String key, String label, Object value, String unit) {}

    private final String title;
    private final List<Row> rows = new ArrayList<>();

    public Figures(String title) {
        this.title = title;
    }

    /** Adds a figure: JSON key, table label, value (number, string, boolean) and unit ("" for none). */
    public Figures add(String key, String label, Object value, String unit) {
        rows.add(new Row(key, label, value, unit));
        return this;
    }

    /** The figures as an ordered map (what the JSON object holds). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Row r : rows) {
            m.put(r.key, r.value);
        }
        return m;
    }

    /** Integers with thousands separators; reals with four significant digits (two decimals when large). */
    static String format(Object value) {
        if (value instanceof Double d) {
            return Math.abs(d) >= 1000 ? String.format("%,.2f", d) : String.format("%.4g", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format("%,d", value);
        }
        return String.valueOf(value);
    }

    /** Prints the table, or the JSON line when {@code json}. */
    public void print(PrintWriter out, boolean json) {
        if (json) {
            try {
                out.println(JSON.writeValueAsString(asMap()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(title + ": cannot encode figures as JSON: " + e.getMessage(), e);
            }
        } else {
            int width = title.length();
            for (Row r : rows) {
                width = Math.max(width, r.label.length());
            }
            out.println(title);
            out.println("-".repeat(width + 2 + 24));
            for (Row r : rows) {
                String v = format(r.value);
                out.printf("%-" + width + "s  %s%s%n", r.label, v, r.unit.isEmpty() ? "" : " " + r.unit);
            }
        }
        out.flush();
    }
}
