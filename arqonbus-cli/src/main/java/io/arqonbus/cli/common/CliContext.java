package io.arqonbus.cli.common;

/** What a subcommand reads from the root {@code arqon} command: the injected environment. */
public interface CliContext {
    /** The environment variables and stop signal of this run. */
    CliEnvironment environment();
}
