package io.arqonbus.cli.server;

import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.config.ConfigFile;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.internal.config.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The server flags shared by {@code serve} and {@code check-config}: {@code --config}, and one flag
 * per {@link Setting} that declares one (added by {@link ServerFlags}). Precedence: defaults, then
 * the configuration file ({@link ConfigFile}), then {@code ARQONBUS_*} variables
 * ({@link EnvironmentConfig}), then the flags that were given.
 */
public final class ServerOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML (or JSON) configuration file: any ARQONBUS_X_Y variable as x_y, and the channel "
                    + "permissions (env ARQONBUS_CONFIG_FILE). Flags and variables override it.")
    Path configFile;

    /** The flags given, as text, in the order of the declarations. */
    private final Map<Setting, String> flags = new EnumMap<>(Setting.class);

    /** Records a flag's value ({@code null} forgets it); called by the parser. */
    void flag(Setting setting, String value) {
        if (value == null) {
            flags.remove(setting);
        } else {
            flags.put(setting, value);
        }
    }

    /**
     * Resolves the effective configuration: defaults, then the file, then {@code env}, then the flags given.
     *
     * @throws io.arqonbus.server.config.ConfigException when a value is unparsable or out of range
     */
    public ResolvedConfig resolve(Map<String, String> env) {
        EnvironmentConfig variables = new EnvironmentConfig(configFile(env), env);
        ServerConfig.Builder builder = variables.applyTo(ServerConfig.builder());
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String source = variables.source(setting);
            sources.put(setting, source != null ? source : setting.derivedFrom() != null
                    ? "default (" + setting.derivedFrom() + ")" : "default");
        }
        flags.forEach((setting, value) -> {
            if (setting == Setting.REDIS_URL) {
                // The URL flag selects the Redis store, with the password, prefix and timeout the environment sets.
                builder.redis(variables.redisFromUrl(setting.flag(), value));
                sources.put(Setting.STORAGE_BACKEND, "flag " + setting.flag());
            } else {
                setting.apply(builder, value, setting.flag());
            }
            sources.put(setting, "flag " + setting.flag());
        });
        return new ResolvedConfig(builder.build(), sources);
    }

    /** The configuration file named by {@code --config} or {@code ARQONBUS_CONFIG_FILE}, or {@code null}. */
    private ConfigFile configFile(Map<String, String> env) {
        if (configFile != null) {
            return ConfigFile.load(configFile);
        }
        String named = env.get("ARQONBUS_CONFIG_FILE");
        return named == null || named.isBlank() ? null : ConfigFile.load(Path.of(named.trim()));
    }
}
