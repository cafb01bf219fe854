package io.arqonbus.cli.server;

import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.server.internal.auth.JwtAuthenticator;
import io.arqonbus.server.internal.config.Setting;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arqon check-config}: resolves the configuration exactly as {@code serve} would (same
 * flags, same variables), prints every setting with its value and source, and validates it.
 * Exit 0 when valid; 2 with {@code arqon: invalid configuration: …} otherwise. Binds nothing.
 */
@Command(name = "check-config", modelTransformer = ServerFlags.class,
        description = {"Print the effective server configuration with the source of each value, and validate it.",
                "Takes the same flags as serve. Exit code 2 when the configuration is invalid."})
public final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResolvedConfig resolved = options.resolve(parent.environment().env());
        if (resolved.config().auth().enabled() && resolved.config().auth().jwtPublicKeyFile() != null) {
            // Reads the key and checks that it fits the algorithm, as serve would (a JWKS is not fetched).
            JwtAuthenticator.create(resolved.config().auth().jwt(), java.time.Clock.systemUTC()).close();
        }
        if (resolved.config().tls() != null) {
            // Reads the certificate and key and proves they belong together, as serve would.
            io.arqonbus.server.internal.tls.ServerTls.create(resolved.config().tls());
        }
        PrintWriter out = spec.commandLine().getOut();
        int keyWidth = "setting".length();
        int valueWidth = "value".length();
        for (Setting setting : Setting.values()) {
            keyWidth = Math.max(keyWidth, setting.key().length());
            valueWidth = Math.max(valueWidth, setting.read(resolved.config()).length());
        }
        String format = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
        out.printf(format, "setting", "value", "source");
        for (Setting setting : Setting.values()) {
            out.printf(format, setting.key(), setting.read(resolved.config()), resolved.source(setting));
        }
        out.println("configuration OK");
        out.flush();
        return ExitCodes.OK;
    }
}
