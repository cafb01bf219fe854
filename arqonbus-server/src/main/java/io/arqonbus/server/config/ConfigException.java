package io.arqonbus.server.config;

/** A configuration value that is missing or out of range; the message names the setting. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    /**
     * Throws a {@code ConfigException} with the formatted message unless {@code ok}.
     *
     * @throws ConfigException when {@code ok} is false
     */
    public static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new ConfigException(String.format(format, args));
        }
    }
}
