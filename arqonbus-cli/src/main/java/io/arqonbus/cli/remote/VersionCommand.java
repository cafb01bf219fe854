package io.arqonbus.cli.remote;

import picocli.CommandLine.Command;

/** {@code arqon version}: GET {@code /version} and print it (protocol §10, §11). */
@Command(name = "version",
        description = "Fetch /version from an ArqonBus HTTP server and print it as sorted, indented JSON.")
public final class VersionCommand extends HttpGetCommand {
    @Override
    String path() {
        return "/version";
    }
}
