package dev.jumbo.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads a CSV file of numeric feature columns and one label column into a {@link TensorDataset}
 * of examples of shape {@code [features]}.
 *
 * <p>The label column is chosen by header name or by 0-based index (negative counts from the end;
 * the default is the last column). Labels that are all non-negative integers are used as they
 * are ({@code numClasses = max + 1}); otherwise the distinct label strings, sorted, become classes
 * 0, 1, ... and the dataset's class names. The header is detected (a first row with a
 * non-numeric feature field) unless set. Fields may be double-quoted; blank lines are skipped.
 * Errors name the file, line and column.
 *
 * <pre>{@code
 * TensorDataset iris = Csv.read(Path.of("iris.csv"), Csv.options().label("species"));
 * TensorDataset raw = Csv.read(Path.of("x.csv"), Csv.options().labelIndex(0).header(false));
 * }</pre>
 */
public final class Csv {
    private Csv() {}

    /** Default options: label = last column, header detected, comma-separated. */
    public static Options options() {
        return new Options(null, -1, null, ',');
    }

    /** Where the label is, whether there is a header, and the delimiter. */
    public record Options(String labelName, int labelIndex, Boolean header, char delimiter) {
        /** The label is the column with this header name (implies a header). */
        public Options label(String name) {
            return new Options(name, labelIndex, Boolean.TRUE, delimiter);
        }

        /** The label is column {@code index} (0-based; negative counts from the end). */
        public Options labelIndex(int index) {
            return new Options(null, index, header, delimiter);
        }

        /** The first row is (true) or is not (false) a header. */
        public Options header(boolean h) {
            return new Options(labelName, labelIndex, h, delimiter);
        }

        /** The field delimiter. */
        public Options delimiter(char d) {
            return new Options(labelName, labelIndex, header, d);
        }
    }

    /** Reads {@code file} as described in the class comment. */
    public static TensorDataset read(Path file, Options o) {
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNos = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(split(line, o.delimiter(), file, lineNo));
                lineNos.add(lineNo);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("csv file " + file + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("csv file " + file + ": empty: expected rows of features and a label");
        }
        int cols = rows.get(0).length;
        if (cols < 2) {
            throw new IllegalArgumentException("csv file " + file + ": line " + lineNos.get(0) + " has " + cols
                    + " column: expected at least one feature and a label");
        }
        int label = labelColumn(file, o, rows.get(0), cols);
        boolean header = o.header() != null ? o.header() : looksLikeHeader(rows.get(0), label);
        String[] names = header ? rows.get(0) : null;
        int first = header ? 1 : 0;
        int n = rows.size() - first;
        if (n == 0) {
            throw new IllegalArgumentException("csv file " + file + ": only a header: expected at least one data row");
        }
        int f = cols - 1;
        float[] x = new float[n * f];
        String[] labelText = new String[n];
        for (int i = 0; i < n; i++) {
            String[] row = rows.get(first + i);
            int line = lineNos.get(first + i);
            if (row.length != cols) {
                throw new IllegalArgumentException("csv file " + file + ": line " + line + " has " + row.length
                        + " columns: expected " + cols);
            }
            for (int c = 0, k = 0; c < cols; c++) {
                if (c == label) {
                    labelText[i] = row[c].strip();
                    if (labelText[i].isEmpty()) {
                        throw new IllegalArgumentException(where(file, line, c, names) + ": empty label");
                    }
                    continue;
                }
                x[i * f + k++] = number(row[c], file, line, c, names);
            }
        }
        List<String> classNames = new ArrayList<>();
        int[] y = labels(labelText, classNames);
        int numClasses = classNames.isEmpty() ? Arrays.stream(y).max().orElse(0) + 1 : classNames.size();
        return new TensorDataset(file.getFileName().toString(), x, y, new int[] {f}, numClasses, classNames);
    }

    private static int labelColumn(Path file, Options o, String[] firstRow, int cols) {
        if (o.labelName() != null) {
            for (int c = 0; c < cols; c++) {
                if (firstRow[c].strip().equals(o.labelName())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("csv file " + file + ": no column named \"" + o.labelName()
                    + "\" in the header " + Arrays.toString(firstRow));
        }
        int c = o.labelIndex() < 0 ? cols + o.labelIndex() : o.labelIndex();
        if (c < 0 || c >= cols) {
            throw new IllegalArgumentException("csv file " + file + ": label column " + o.labelIndex() + ": the file has "
                    + cols + " columns");
        }
        return c;
    }

    private static boolean looksLikeHeader(String[] row, int label) {
        for (int c = 0; c < row.length; c++) {
            if (c != label && !parses(row[c])) {
                return true;
            }
        }
        return false;
    }

    private static boolean parses(String s) {
        try {
            Float.parseFloat(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Integer labels when all are non-negative ints; else sorted distinct strings as classes. */
    private static int[] labels(String[] text, List<String> classNames) {
        int[] y = new int[text.length];
        boolean ints = true;
        for (int i = 0; i < text.length && ints; i++) {
            try {
                y[i] = Integer.parseInt(text[i]);
                ints = y[i] >= 0;
            } catch (NumberFormatException e) {
                ints = false;
            }
        }
        if (ints) {
            return y;
        }
        classNames.addAll(new TreeSet<>(Arrays.asList(text)));
        for (int i = 0; i < text.length; i++) {
            y[i] = classNames.indexOf(text[i]);
        }
        return y;
    }

    private static float number(String s, Path file, int line, int col, String[] names) {
        String t = s.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(where(file, line, col, names) + ": empty value: expected a number");
        }
        try {
            return Float.parseFloat(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(file, line, col, names) + ": '" + t + "' is not a number");
        }
    }

    private static String where(Path file, int line, int col, String[] names) {
        return "csv file " + file + ": line " + line + ", column " + (col + 1)
                + (names != null ? " (\"" + names[col].strip() + "\")" : "");
    }

    /** Splits one line on the delimiter; a field may be double-quoted ("" inside is a quote). */
    static String[] split(String line, char delim, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == delim) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("csv file " + file + ": line " + lineNo + ": unterminated quoted field");
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }
}
