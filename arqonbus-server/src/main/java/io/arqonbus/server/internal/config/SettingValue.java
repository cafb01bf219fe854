package io.arqonbus.server.internal.config;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.ServerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;

/**
 * How one setting's text (from a variable, a file key or a flag) is read into the builder. A value
 * that cannot be parsed is a {@link ConfigException} that names where it came from ({@code source}:
 * the variable, {@code key 'x' in <file>} or the flag).
 */
@FunctionalInterface
public interface SettingValue {
    /** Parses {@code text} and sets it on the builder. */
    void apply(ServerConfig.Builder builder, String text, String source);

    /** A whole number. */
    static SettingValue integer(ObjIntConsumer<ServerConfig.Builder> setter) {
        return (b, text, source) -> {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(source + ": '" + text + "' (expected: a whole number)");
            }
            setter.accept(b, value);
        };
    }

    /** A whole number that may exceed an {@code int} (a byte count). */
    static SettingValue longInteger(ObjLongConsumer<ServerConfig.Builder> setter) {
        return (b, text, source) -> {
            long value;
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(source + ": '" + text + "' (expected: a whole number)");
            }
            setter.accept(b, value);
        };
    }

    /** A number of seconds, possibly fractional. */
    static SettingValue seconds(BiConsumer<ServerConfig.Builder, Duration> setter) {
        return (b, text, source) -> {
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(source + ": '" + text + "' (expected: a number of seconds)");
            }
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new ConfigException(source + ": '" + text + "' (expected: a finite number of seconds)");
            }
            setter.accept(b, Duration.ofMillis(Math.round(value * 1000)));
        };
    }

    /** {@code true/false}, {@code 1/0}, {@code yes/no} or {@code on/off}. */
    static SettingValue bool(BiConsumer<ServerConfig.Builder, Boolean> setter) {
        return (b, text, source) -> setter.accept(b, parseBoolean(source, text));
    }

    /** Text, trimmed. */
    static SettingValue text(BiConsumer<ServerConfig.Builder, String> setter) {
        return (b, text, source) -> setter.accept(b, text.trim());
    }

    /** A comma-separated list; blank items are dropped. */
    static SettingValue list(BiConsumer<ServerConfig.Builder, List<String>> setter) {
        return (b, text, source) -> setter.accept(b,
                Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList());
    }

    /** A value with its own parser, which names {@code source} in its errors. */
    static <T> SettingValue parsed(BiFunction<String, String, T> parser, BiConsumer<ServerConfig.Builder, T> setter) {
        return (b, text, source) -> setter.accept(b, parser.apply(source, text));
    }

    /** Read with its group (Redis, CASIL) by a reader of its own, not one at a time. */
    static SettingValue group() {
        return (b, text, source) -> {
            throw new IllegalStateException("read with its group: " + source);
        };
    }

    /** Parses a boolean the way every setting does. */
    static boolean parseBoolean(String source, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(source + ": '" + text + "' (expected: true or false)");
        };
    }
}
