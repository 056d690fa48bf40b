package dev.jumbo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The {@code jumbo} command. Each subcommand is one thin class: parse, call core, print a table
 * (or, with {@code --json}, one JSON object as the last stdout line).
 *
 * <pre>{@code
 * ./jumbo info            # JDK, SIMD width, threads, a one-second GEMM probe
 * ./jumbo info --json     # the same figures as one JSON line
 * ./jumbo bench gemm      # side-by-side benchmark against the peers
 * }</pre>
 *
 * <p>Errors reach the user as {@code jumbo: <message>} with exit code 1; {@code --debug} or
 * {@code JUMBO_DEBUG=1} adds the stack trace.
 */
@Command(name = "jumbo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Jumbo: a pure-Java toolkit for the whole life of a large model.",
        subcommands = {
            DemoCommand.class,
            InfoCommand.class,
            DataCommand.class,
            TrainCommand.class,
            AugmentCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            EstimateCommand.class,
            BenchCommand.class,
            ServeCommand.class,
            VerifyCommand.class,
            ExperimentCommand.class,
            EnsembleCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class JumboCli implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of errors (also JUMBO_DEBUG=1).")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line: what {@link #main} runs and what tests drive in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new JumboCli());
        cl.setExecutionExceptionHandler(JumboCli::handle);
        // `jumbo bench gemm --json ...`: everything after `bench` goes to the benchmark jar untouched.
        CommandLine bench = cl.getSubcommands().get("bench");
        bench.setUnmatchedOptionsArePositionalParams(true);
        bench.setStopAtPositional(true);
        return cl;
    }

    /** Prints {@code jumbo: <message>} (plus the trace when debugging) and exits with 1. */
    private static int handle(Exception ex, CommandLine cl, ParseResult parsed) {
        String msg = ex.getMessage() == null || ex.getMessage().isBlank()
                ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println("jumbo: " + msg);
        if (debugRequested(parsed)) {
            ex.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println("jumbo: (run with --debug or JUMBO_DEBUG=1 for the stack trace)");
        }
        cl.getErr().flush();
        return 1;
    }

    private static boolean debugRequested(ParseResult parsed) {
        if ("1".equals(System.getenv("JUMBO_DEBUG"))) {
            return true;
        }
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
