package io.arqonbus.server.internal.history;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.nio.charset.StandardCharsets;

/**
 * The Redis key layout of the history store. With the default prefix {@code arqonbus:}:
 * <ul>
 *   <li>{@code arqonbus:history:{room}:channel} — the channel's stream (entry id
 *       {@code <offset>-0}, fields {@code json} and {@code at});</li>
 *   <li>{@code arqonbus:history:{room}} — the room-wide stream (room broadcasts);</li>
 *   <li>{@code arqonbus:history-meta:{room}:channel} and {@code arqonbus:history-meta:{room}} —
 *       a hash with the stream's {@code epoch} and {@code last} offset, kept when every entry is
 *       trimmed.</li>
 * </ul>
 * Room names cannot contain {@code ':'}, so the first {@code "}:"} after the room's opening brace
 * ends the room, and channel names may contain anything. The braces make the room a Redis Cluster
 * hash tag: every key of a room lives in one slot.
 */
public final class RedisKeys {
    private final String streamPrefix;
    private final String metaPrefix;

    /** The layout under {@code prefix} (e.g. {@code arqonbus:}). */
    public RedisKeys(String prefix) {
        this.streamPrefix = prefix + "history:{";
        this.metaPrefix = prefix + "history-meta:{";
    }

    /** The stream's key. */
    public byte[] stream(ChannelKey key) {
        return bytes(streamPrefix, key);
    }

    /** The key of the stream's meta hash (epoch, last offset). */
    public byte[] meta(ChannelKey key) {
        return bytes(metaPrefix, key);
    }

    /** A SCAN pattern matching every meta key of this prefix. */
    String metaPattern() {
        return escapeGlob(metaPrefix) + "*";
    }

    /** The stream a meta key belongs to, or {@code null} when the key is not one of ours. */
    ChannelKey fromMeta(String metaKey) {
        if (!metaKey.startsWith(metaPrefix)) {
            return null;
        }
        String rest = metaKey.substring(metaPrefix.length());
        int end = rest.indexOf("}:");
        if (end > 0) {
            return ChannelKey.of(rest.substring(0, end), rest.substring(end + 2));
        }
        if (rest.length() > 1 && rest.endsWith("}") && rest.indexOf(':') < 0) {
            return ChannelKey.roomWide(rest.substring(0, rest.length() - 1));
        }
        return null;
    }

    private static byte[] bytes(String prefix, ChannelKey key) {
        String name = key.isRoomWide() ? prefix + key.room() + "}" : prefix + key.room() + "}:" + key.channel();
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static String escapeGlob(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
