package io.arqonbus.cli.server;

import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.config.Setting;
import java.util.Map;

/**
 * The effective server configuration and, for each {@link Setting}, where its value came from:
 * {@code flag --x}, {@code env ARQONBUS_X}, {@code file <path>} or {@code default}.
 */
public record ResolvedConfig(ServerConfig config, Map<Setting, String> sources) {
    public ResolvedConfig {
        sources = Map.copyOf(sources);
    }

    /** Where the setting's value came from. */
    public String source(Setting setting) {
        return sources.get(setting);
    }
}
