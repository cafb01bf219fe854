package io.arqonbus.cli.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.cli.json.PythonJson;
import io.arqonbus.server.internal.auth.AuthResult;
import io.arqonbus.server.internal.auth.JwtAuthenticator;
import io.arqonbus.server.config.JwtSettings;
import io.arqonbus.server.internal.auth.PemKeys;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.AuthSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arqon check-token}: verifies a token exactly as the server would (same code, same rules)
 * and prints its claims as JSON. Exit 0 valid; 1 invalid, with the reason; 2 usage. Each key
 * option falls back to the server's variable, so on a server's machine {@code arqon check-token T}
 * checks against the server's own settings.
 */
@Command(name = "check-token",
        description = {"Verify a JWT as the server would and print its claims as JSON.",
                "Exit 0 when valid; 1 with 'arqon: invalid token: <reason>' when not; 2 on a usage error."})
public final class CheckTokenCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "TOKEN", description = "The token (the JWT itself, without 'Bearer').")
    String token;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "HMAC secret (default: env ARQONBUS_AUTH_JWT_SECRET).")
    String secret;

    @Option(names = "--key-file", paramLabel = "PEM",
            description = "PEM public key or certificate (default: env ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE).")
    Path keyFile;

    @Option(names = "--jwks-url", paramLabel = "URL", description = "JWKS URL (default: env ARQONBUS_AUTH_JWKS_URL).")
    String jwksUrl;

    @Option(names = "--alg", paramLabel = "ALG",
            description = "The algorithm the token must use (default: env ARQONBUS_AUTH_JWT_ALGORITHM, else HS256 "
                    + "with a secret, the key's algorithm with a key file, RS256 with a JWKS URL).")
    String alg;

    @Option(names = "--issuer", paramLabel = "ISS", description = "Required iss (default: env ARQONBUS_AUTH_JWT_ISSUER).")
    String issuer;

    @Option(names = "--audience", paramLabel = "AUD",
            description = "Required aud value (default: env ARQONBUS_AUTH_JWT_AUDIENCE).")
    String audience;

    @Option(names = "--clock-skew-seconds", paramLabel = "SECONDS",
            description = "Tolerance for exp/nbf/iat (default: env ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS, else 30).")
    Long clockSkewSeconds;

    @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "10",
            description = "Longest wait for a JWKS document (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JwtSettings settings = settings();
        AuthResult result;
        try (JwtAuthenticator authenticator = JwtAuthenticator.create(settings, Clock.systemUTC())) {
            result = authenticator.verify(token.trim()).get(Math.max(1, Math.round(timeoutSeconds * 1000)),
                    TimeUnit.MILLISECONDS);
        } catch (ConfigException e) {
            throw CliException.usage(e.getMessage());
        } catch (TimeoutException e) {
            throw CliException.failure("invalid token: no answer from the JWKS URL within " + timeoutSeconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted");
        } catch (ExecutionException e) {
            throw CliException.failure("invalid token: " + e.getCause());
        }
        if (result instanceof AuthResult.Rejected rejected) {
            throw CliException.failure("invalid token: " + rejected.reason());
        }
        JsonNode claims = JSON.valueToTree(((AuthResult.Accepted) result).claims());
        PrintWriter out = spec.commandLine().getOut();
        out.println(PythonJson.indented(claims));
        out.flush();
        return ExitCodes.OK;
    }

    private JwtSettings settings() {
        String algorithm = KeyOptions.algorithm(alg != null ? alg : env("ARQONBUS_AUTH_JWT_ALGORITHM"));
        int given = (secret != null ? 1 : 0) + (keyFile != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
        if (given > 1) {
            throw CliException.usage("give one of --secret, --key-file and --jwks-url");
        }
        String secretValue = secret;
        Path keyPath = keyFile;
        String url = jwksUrl;
        if (given == 0) {
            secretValue = env("ARQONBUS_AUTH_JWT_SECRET");
            String file = env("ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE");
            keyPath = secretValue == null && file != null ? Path.of(file) : null;
            url = secretValue == null && keyPath == null ? env("ARQONBUS_AUTH_JWKS_URL") : null;
            if (secretValue == null && keyPath == null && url == null) {
                throw CliException.usage("give --secret, --key-file or --jwks-url (or set ARQONBUS_AUTH_JWT_SECRET, "
                        + "ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE or ARQONBUS_AUTH_JWKS_URL)");
            }
        }
        URI jwks = null;
        if (secretValue != null) {
            algorithm = KeyOptions.forSecret(algorithm);
        } else if (keyPath != null) {
            algorithm = KeyOptions.forKey(algorithm, publicKey(keyPath), "--key-file " + keyPath);
        } else {
            jwks = jwksUri(url);
            if (algorithm == null) {
                algorithm = "RS256";
            } else if (io.arqonbus.server.internal.auth.JwtAlgorithms.isHmac(algorithm)) {
                throw CliException.usage(algorithm + " verifies with a shared secret, not with a JWKS URL");
            }
        }
        Duration skew = AuthSettings.DEFAULT_JWT_CLOCK_SKEW;
        String envSkew = env("ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS");
        try {
            if (clockSkewSeconds != null) {
                skew = Duration.ofSeconds(clockSkewSeconds);
            } else if (envSkew != null) {
                skew = Duration.ofMillis(Math.round(Double.parseDouble(envSkew) * 1000));
            }
        } catch (NumberFormatException e) {
            throw CliException.usage("ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS: '" + envSkew + "' (expected: seconds)");
        }
        if (skew.isNegative()) {
            throw CliException.usage("--clock-skew-seconds: " + skew.toSeconds() + " (expected: >= 0)");
        }
        return new JwtSettings(algorithm, secretValue, keyPath, jwks,
                issuer != null ? issuer : env("ARQONBUS_AUTH_JWT_ISSUER"),
                audience != null ? audience : env("ARQONBUS_AUTH_JWT_AUDIENCE"), skew,
                AuthSettings.DEFAULT_JWKS_REFRESH_INTERVAL, AuthSettings.DEFAULT_JWKS_MIN_REFETCH_INTERVAL);
    }

    private String env(String name) {
        String value = parent.environment().getenv(name, null);
        return value == null ? null : value.trim();
    }

    private static PublicKey publicKey(Path file) {
        try {
            return PemKeys.readPublicKey(file);
        } catch (IOException e) {
            throw CliException.usage("--key-file " + file + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--key-file " + file + ": " + e.getMessage());
        }
    }

    private static URI jwksUri(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new URISyntaxException(url, "not an http or https URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliException.usage("--jwks-url: " + url + " (expected: an http or https URL)");
        }
    }
}
