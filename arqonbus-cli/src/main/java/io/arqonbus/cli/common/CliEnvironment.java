package io.arqonbus.cli.common;

import java.util.Map;
import java.util.Objects;

/**
 * What the commands read from the outside world, injected so that tests can run every command
 * in-process: the environment variables and the source of the "please stop" signal.
 *
 * @param env        the {@code ARQONBUS_*} (and other) environment variables
 * @param stopSignal how {@code serve} learns that it should shut down
 */
public record CliEnvironment(Map<String, String> env, StopSignal stopSignal) {
    public CliEnvironment {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(stopSignal, "stopSignal");
    }

    /** The real process: {@link System#getenv()} and SIGTERM/SIGINT. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), new OsStopSignal());
    }

    /** The value of an environment variable, or {@code fallback} when it is unset or blank. */
    public String getenv(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
