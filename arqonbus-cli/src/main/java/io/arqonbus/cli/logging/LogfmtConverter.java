package io.arqonbus.cli.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %logfmt} in the text layout: an event's key-value pairs (SLF4J 2's
 * {@code addKeyValue}) as {@code key=value key2="a value"} — a value is quoted only when it
 * holds a space, a quote, an {@code =} or nothing, and quotes, backslashes and line breaks inside
 * are escaped, so every event stays on one line; an event without pairs (a library's) shows its
 * message. Logback's own {@code %kvp} quotes either every value or none (then a message with
 * spaces cannot be told from the next key), hence this converter.
 */
public final class LogfmtConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null || pairs.isEmpty()) {
            return oneLine(event.getFormattedMessage());
        }
        StringBuilder out = new StringBuilder();
        for (KeyValuePair pair : pairs) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(pair.key).append('=');
            appendValue(out, String.valueOf(pair.value));
        }
        return out.toString();
    }

    private static void appendValue(StringBuilder out, String value) {
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"').append(escape(value)).append('"');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace("\n", "\\n").replace("\r", "\\r");
    }
}
