package io.arqonbus.cli;

import io.arqonbus.cli.common.CliEnvironment;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.internal.config.Levenshtein;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The entry point of {@code arqon.jar}. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        String format = System.getenv("ARQONBUS_LOG_FORMAT");
        if (format != null && !format.equals("text") && !format.equals("json")) {
            // logback.xml picks its appender by this name: any other one would log nothing at all.
            err.println("arqon: ARQONBUS_LOG_FORMAT=" + format + " is not a log format (expected: text or json)");
            System.exit(ExitCodes.USAGE);
        }
        int code = run(CliEnvironment.system(), out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one {@code arqon} command line and returns its exit code ({@link ExitCodes}); never
     * calls {@link System#exit}.
     */
    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        return commandLine(environment, out, err).execute(args);
    }

    /**
     * A wrong command line gets its error, picocli's "Did you mean …" when a name is close, and a
     * pointer to the command's help — not the whole usage, which buries the one line that matters.
     */
    private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("arqon: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (suggestions.isEmpty() && !unmatched.getUnmatched().isEmpty()) {
                suggestions = nearestOptions(cl, unmatched.getUnmatched().get(0));
            }
            if (!suggestions.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
            }
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The command's option names at most 2 edits from a mistyped {@code --option[=value]}, nearest first. */
    private static List<String> nearestOptions(CommandLine cl, String arg) {
        if (!arg.startsWith("--")) {
            return List.of();
        }
        String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        return cl.getCommandSpec().optionsMap().keySet().stream()
                .filter(name -> name.startsWith("--"))
                .filter(name -> Levenshtein.distance(typed, name) <= 2)
                .sorted(Comparator.comparingInt((String name) -> Levenshtein.distance(typed, name)))
                .limit(3)
                .toList();
    }

    /** The configured picocli command line (for tests that inspect parsing). */
    public static CommandLine commandLine(CliEnvironment environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ArqonCommand(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Main::shortUsageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof CliException cli) {
                cl.getErr().println("arqon: " + cli.getMessage());
                cl.getErr().flush();
                return cli.exitCode();
            }
            if (e instanceof ConfigException config) {
                cl.getErr().println("arqon: invalid configuration: " + config.getMessage());
                cl.getErr().flush();
                return ExitCodes.USAGE;
            }
            log.atError().setCause(e)
                    .addKeyValue("event", "command_failed")
                    .addKeyValue("command", cl.getCommandName())
                    .addKeyValue("error", e.toString())
                    .log("command_failed");
            cl.getErr().println("arqon: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            cl.getErr().flush();
            return ExitCodes.FAILURE;
        });
        return commandLine;
    }
}
