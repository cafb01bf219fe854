package io.arqonbus.cli.remote;

import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every HTTP API command shares: where the server is, the API key, the timeout, the CA file. */
final class ApiOptions {
    static final String API_KEY_ENV = "ARQONBUS_API_KEY";

    @Option(names = "--http-url", paramLabel = "URL",
            description = "Base HTTP URL of the server (env ARQONBUS_HTTP_URL, default "
                    + HttpGetCommand.DEFAULT_HTTP_URL + ").")
    String httpUrl;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "API key or admin token (env " + API_KEY_ENV + "; prefer the variable: flags show in the "
                    + "process list). Not needed when the server has no keys and auth off.")
    String apiKey;

    @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "5",
            description = "Connect and read timeout (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "Trust exactly the certificates of this PEM file for https:// (env " + TrustedCa.ENV + ").")
    String caFile;

    String url(CliContext context, String pathAndQuery) {
        String base = httpUrl != null ? httpUrl
                : context.environment().getenv(HttpGetCommand.HTTP_URL_ENV, HttpGetCommand.DEFAULT_HTTP_URL);
        return HttpJson.url(base, pathAndQuery);
    }

    String apiKey(CliContext context) {
        return apiKey != null ? apiKey : context.environment().getenv(API_KEY_ENV, null);
    }

    String caFile(CliContext context) {
        return caFile != null ? caFile : context.environment().getenv(TrustedCa.ENV, null);
    }

    Duration timeout() {
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw CliException.usage("--timeout-seconds: " + timeoutSeconds + " (expected: > 0)");
        }
        return Duration.ofMillis(Math.round(timeoutSeconds * 1000));
    }
}
