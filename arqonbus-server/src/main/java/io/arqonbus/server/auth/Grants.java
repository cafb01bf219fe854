package io.arqonbus.server.auth;

import io.arqonbus.server.hub.ChannelKey;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one connection may do with which channels: its role's patterns compiled with its claims
 * filled in. Decisions are remembered per channel (a bounded cache), so a publisher pays for the
 * pattern match once per channel, not once per message. Loop-confined, like the connection.
 */
public final class Grants {
    /** The grants when no permissions are configured: everything is allowed. */
    public static final Grants ALL = new Grants(null);
    private static final int MAX_REMEMBERED = 1024;

    private final Map<ChannelAction, Pattern> patterns;
    private final Map<ChannelAction, Map<String, Boolean>> decided = new EnumMap<>(ChannelAction.class);

    Grants(Map<ChannelAction, Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Whether the connection may do {@code action} with {@code room:channel}. */
    public boolean allows(ChannelAction action, ChannelKey key) {
        return allows(action, key.room() + ":" + (key.channel() == null ? "*" : key.channel()));
    }

    /** Whether the connection may do {@code action} with the {@code room:channel} address. */
    public boolean allows(ChannelAction action, String address) {
        if (patterns == null) {
            return true;
        }
        Pattern pattern = patterns.get(action);
        if (pattern == null) {
            return false;
        }
        Map<String, Boolean> memo = decided.computeIfAbsent(action, a -> new HashMap<>());
        Boolean known = memo.get(address);
        if (known != null) {
            return known;
        }
        boolean allowed = pattern.matcher(address).matches();
        if (memo.size() >= MAX_REMEMBERED) {
            memo.clear();
        }
        memo.put(address, allowed);
        return allowed;
    }
}
