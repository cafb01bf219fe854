package io.arqonbus.cli.remote;

import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.server.status.ServerInfo;
import picocli.CommandLine.Command;

/**
 * {@code arqon version}: this command's version on the first line, then the server's
 * {@code /version} as sorted, indented JSON (protocol §10, §11). Without a reachable server it
 * says so on stderr and still exits 0: the local version is what was asked for.
 */
@Command(name = "version",
        description = {"Print this arqon's version, then the server's /version (sorted, indented JSON) when one answers "
                + "at --http-url."})
public final class VersionCommand extends HttpGetCommand {
    @Override
    String path() {
        return "/version";
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("arqon " + ServerInfo.readVersion()[0]);
        spec.commandLine().getOut().flush();
        try {
            return super.call();
        } catch (CliException e) {
            if (!unreachable(e)) {
                throw e;
            }
            spec.commandLine().getErr().println("arqon: no server version: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
    }
}
