package io.arqonbus.cli.remote;

import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.cli.json.PythonJson;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The shared shape of {@code version} and {@code status}: GET one path, print it sorted and indented. */
abstract class HttpGetCommand implements Callable<Integer> {
    static final String HTTP_URL_ENV = "ARQONBUS_HTTP_URL";
    static final String DEFAULT_HTTP_URL = "http://127.0.0.1:8080";

    @Option(names = "--http-url", paramLabel = "URL",
            description = "Base HTTP URL of the server (env ARQONBUS_HTTP_URL, default " + DEFAULT_HTTP_URL + ").")
    String httpUrl;

    @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "5",
            description = "Connect and read timeout (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "Trust exactly the certificates of this PEM file for https:// (a private CA or the "
                    + "server's self-signed certificate; env " + TrustedCa.ENV + ", default: the JDK's trust store).")
    String caFile;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    /** The path to GET, e.g. {@code /version}. */
    abstract String path();

    @Override
    public Integer call() {
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw CliException.usage("--timeout-seconds: " + timeoutSeconds + " (expected: > 0)");
        }
        String base = httpUrl != null ? httpUrl : parent.environment().getenv(HTTP_URL_ENV, DEFAULT_HTTP_URL);
        String ca = caFile != null ? caFile : parent.environment().getenv(TrustedCa.ENV, null);
        var json = HttpJson.get(HttpJson.url(base, path()), Duration.ofMillis(Math.round(timeoutSeconds * 1000)), ca);
        spec.commandLine().getOut().println(PythonJson.indented(json));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** Whether {@code e} says that no server answered at all (refused, timed out, cut), not that it refused the call. */
    static boolean unreachable(CliException e) {
        return e.getCause() instanceof java.io.IOException;
    }
}
