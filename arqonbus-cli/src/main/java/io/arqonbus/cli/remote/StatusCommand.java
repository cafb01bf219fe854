package io.arqonbus.cli.remote;

import picocli.CommandLine.Command;

/** {@code arqon status}: GET {@code /status} and print it (protocol §10, §11). */
@Command(name = "status",
        description = "Fetch /status from an ArqonBus HTTP server and print it as sorted, indented JSON.")
public final class StatusCommand extends HttpGetCommand {
    @Override
    String path() {
        return "/status";
    }
}
