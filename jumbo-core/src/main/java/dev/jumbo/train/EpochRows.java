package dev.jumbo.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jumbo.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-epoch rows the loggers keep, with their file formats: {@code metrics.json} is
 * {@code {"epochs": [{"epoch": 0, "loss": ..., ...}, ...]}}, {@code metrics.csv} has a header of
 * every key seen. Both are rewritten atomically, so a reader (or a crash) never sees half a file.
 * On a resume, the rows of epochs before the resumed one are read back from the file.
 */
final class EpochRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Map<String, Double>> rows = new ArrayList<>();

    List<Map<String, Double>> rows() {
        return rows;
    }

    void add(Map<String, Double> logs) {
        rows.add(new LinkedHashMap<>(logs));
    }

    /** Starts a fit: empty, or the rows of epochs before {@code ctx.startEpoch()} when resuming. */
    void begin(TrainContext ctx, Path file, boolean json) {
        rows.clear();
        if (!ctx.resumed() || !Files.isRegularFile(file)) {
            return;
        }
        List<Map<String, Double>> old = json ? readJson(file) : readCsv(file);
        for (Map<String, Double> r : old) {
            if (r.getOrDefault("epoch", Double.MAX_VALUE) < ctx.startEpoch()) {
                rows.add(r);
            }
        }
    }

    /** The rows of a {@code metrics.json}; errors name the file. */
    static List<Map<String, Double>> readJson(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode epochs = root == null ? null : root.get("epochs");
            if (epochs == null || !epochs.isArray()) {
                throw new IllegalArgumentException(file + ": expected an object with an \"epochs\" array");
            }
            List<Map<String, Double>> out = new ArrayList<>();
            for (JsonNode e : epochs) {
                Map<String, Double> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> f = it.next();
                    row.put(f.getKey(), f.getValue().isNumber() ? f.getValue().asDouble() : Double.NaN);
                }
                out.add(row);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Double>> readCsv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<Map<String, Double>> out = new ArrayList<>();
            if (lines.isEmpty()) {
                return out;
            }
            String[] header = lines.get(0).split(",");
            for (String line : lines.subList(1, lines.size())) {
                String[] v = line.split(",", -1);
                Map<String, Double> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length && i < v.length; i++) {
                    if (!v[i].isEmpty()) {
                        row.put(header[i], Double.parseDouble(v[i]));
                    }
                }
                out.add(row);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": not a metrics CSV: " + e.getMessage(), e);
        }
    }

    void writeJson(Path file) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("epochs");
        for (Map<String, Double> r : rows) {
            ObjectNode o = arr.addObject();
            r.forEach((k, v) -> {
                if (k.equals("epoch")) {
                    o.put(k, v.intValue());
                } else if (Double.isFinite(v)) {
                    o.put(k, v);
                } else {
                    o.putNull(k); // JSON has no NaN
                }
            });
        }
        try {
            AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    void writeCsv(Path file) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add("epoch");
        for (Map<String, Double> r : rows) {
            keys.addAll(r.keySet());
        }
        StringBuilder sb = new StringBuilder(String.join(",", keys)).append('\n');
        for (Map<String, Double> r : rows) {
            boolean first = true;
            for (String k : keys) {
                sb.append(first ? "" : ",");
                first = false;
                Double v = r.get(k);
                if (v != null) {
                    sb.append(k.equals("epoch") ? Integer.toString(v.intValue()) : Double.toString(v));
                }
            }
            sb.append('\n');
        }
        try {
            AtomicFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }
}
