package dev.jumbo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.DatasetCheck;
import dev.jumbo.data.FashionMnist;
import dev.jumbo.data.MnistDigits;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo data fashion-mnist|mnist [--install] [--json]}: locates a dataset, installs it with
 * {@code --install} (otherwise prints the exact install command and exits 1), then verifies file
 * checksums and example counts and prints files, counts and per-class counts.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Locate, install (--install) and verify a dataset: fashion-mnist or mnist.")
public final class DataCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "DATASET", description = "fashion-mnist or mnist.")
    String name;

    @Option(names = "--install", description = "Install the dataset when it is missing (apt-get or npm).")
    boolean install;

    @Option(names = "--json", description = "Print the report as one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** The two datasets behind one shape: where, whether installed, how to install, check. */
    private record Source(String name, Path location, List<Path> files, String installCommand,
            Runnable installer, Callable<DatasetCheck> check) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Source src = source(err);
        Path missing = src.files().stream().filter(f -> !Files.isRegularFile(f)).findFirst().orElse(null);
        if (missing != null && install) {
            src.installer().run();
            missing = null;
        }
        if (missing != null) {
            err.println("jumbo: " + src.name() + " is not installed (" + missing + " is missing)");
            err.println("jumbo: install it with: " + src.installCommand());
            err.println("jumbo:            or: ./jumbo data " + src.name() + " --install");
            err.flush();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dataset", src.name());
                m.put("installed", false);
                m.put("missing", missing.toString());
                m.put("install_command", src.installCommand());
                out.println(encode(m));
                out.flush();
            }
            return 1;
        }
        DatasetCheck c = src.check().call();
        if (json) {
            out.println(encode(asMap(c)));
        } else {
            printTable(out, c);
        }
        out.flush();
        for (String p : c.problems()) {
            err.println("jumbo: " + p);
        }
        err.flush();
        return c.ok() ? 0 : 1;
    }

    private Source source(PrintWriter log) {
        switch (name) {
            case "fashion-mnist" -> {
                FashionMnist fm = FashionMnist.installed();
                return new Source(name, fm.dir(), fm.files(), FashionMnist.INSTALL_COMMAND, () -> fm.install(log), fm::check);
            }
            case "mnist" -> {
                MnistDigits m = MnistDigits.installed();
                return new Source(name, m.digitsDir(), m.files(), m.installCommand(), () -> m.install(log), m::check);
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "data: unknown dataset '" + name + "': expected fashion-mnist or mnist");
        }
    }

    private static void printTable(PrintWriter out, DatasetCheck c) {
        out.println(c.dataset() + "  (" + c.location() + ")");
        out.println();
        int fw = c.files().stream().mapToInt(f -> f.file().length()).max().orElse(4);
        out.printf("%-" + fw + "s  %12s  %-16s  %s%n", "file", "bytes", "sha256", "checksum");
        for (DatasetCheck.FileCheck f : c.files()) {
            out.printf("%-" + fw + "s  %12s  %-16s  %s%n", f.file(), String.format("%,d", f.bytes()),
                    f.sha256().substring(0, 16), f.ok() ? "ok" : "MISMATCH");
        }
        out.println();
        List<String> labels = new ArrayList<>();
        int cw = 8;
        for (int k = 0; k < c.classNames().size(); k++) {
            String n = c.classNames().get(k);
            labels.add(n.equals(String.valueOf(k)) ? n : k + " " + n);
            cw = Math.max(cw, labels.get(k).length());
        }
        String col = "%-" + cw + "s";
        StringBuilder head = new StringBuilder(String.format(col, "class"));
        for (DatasetCheck.SplitCount s : c.splits()) {
            head.append(String.format("  %10s", s.split()));
        }
        out.println(head);
        for (int k = 0; k < c.classNames().size(); k++) {
            StringBuilder row = new StringBuilder(String.format(col, labels.get(k)));
            for (DatasetCheck.SplitCount s : c.splits()) {
                row.append(String.format("  %,10d", s.perClass()[k]));
            }
            out.println(row);
        }
        StringBuilder total = new StringBuilder(String.format(col, "total"));
        StringBuilder expected = new StringBuilder(String.format(col, "expected"));
        for (DatasetCheck.SplitCount s : c.splits()) {
            total.append(String.format("  %,10d", s.count()));
            expected.append(String.format("  %,10d", s.expected()));
        }
        out.println(total);
        out.println(expected);
        out.println();
        out.println(c.ok() ? "all checksums and counts match" : c.problems().size() + " problem(s): see below");
    }

    private static Map<String, Object> asMap(DatasetCheck c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", c.dataset());
        m.put("installed", true);
        m.put("location", c.location().toString());
        m.put("ok", c.ok());
        List<Map<String, Object>> files = new ArrayList<>();
        for (DatasetCheck.FileCheck f : c.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("file", f.file());
            fm.put("bytes", f.bytes());
            fm.put("sha256", f.sha256());
            fm.put("expected_sha256", f.expectedSha256());
            fm.put("checksum_ok", f.ok());
            files.add(fm);
        }
        m.put("files", files);
        List<Map<String, Object>> splits = new ArrayList<>();
        for (DatasetCheck.SplitCount s : c.splits()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("split", s.split());
            sm.put("count", s.count());
            sm.put("expected", s.expected());
            sm.put("per_class", s.perClass());
            splits.add(sm);
        }
        m.put("splits", splits);
        m.put("class_names", c.classNames());
        m.put("problems", c.problems());
        return m;
    }

    private static String encode(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("data: cannot encode the report as JSON: " + e.getMessage(), e);
        }
    }
}
