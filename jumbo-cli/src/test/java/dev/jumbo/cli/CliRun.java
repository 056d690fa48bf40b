package dev.jumbo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code jumbo} command line for tests: exit code, stdout and stderr.
 * (The older command tests each keep a private copy of this; new tests use this one.)
 */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cl = JumboCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The last non-empty stdout line (the JSON object with {@code --json}). */
    String lastLine() {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }
}
