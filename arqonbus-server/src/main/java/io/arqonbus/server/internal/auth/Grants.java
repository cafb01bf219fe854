package io.arqonbus.server.internal.auth;

import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.arqonbus.server.internal.channel.ChannelKey;
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

    /** The grants of one connection: its role's patterns with its claims filled in, compiled. */
    public static Grants of(ChannelPermissions permissions, Principal principal) {
        String role = principal.role() != null ? principal.role().toLowerCase(Locale.ROOT) : permissions.anonymousRole();
        Map<ChannelAction, List<String>> actions = role == null ? null : permissions.roles().get(role);
        Map<ChannelAction, Pattern> compiled = new EnumMap<>(ChannelAction.class);
        for (ChannelAction action : ChannelAction.values()) {
            List<String> parts = new ArrayList<>();
            for (String pattern : actions == null ? List.<String>of() : actions.getOrDefault(action, List.of())) {
                String filled = fill(pattern, principal);
                if (filled != null) {
                    parts.add(globToRegex(filled));
                }
            }
            compiled.put(action, parts.isEmpty() ? null : Pattern.compile(String.join("|", parts)));
        }
        return new Grants(compiled);
    }

    private static String fill(String pattern, Principal principal) {
        String out = pattern;
        if (out.contains("{sub}")) {
            if (principal.subject() == null) {
                return null;
            }
            out = out.replace("{sub}", principal.subject());
        }
        if (out.contains("{tenant}")) {
            if (principal.tenantId() == null) {
                return null;
            }
            out = out.replace("{tenant}", principal.tenantId());
        }
        return out;
    }

    /** A glob as a regular expression: {@code *} any run, {@code ?} one character, the rest literal. */
    static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder("(?:");
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.append(')').toString();
    }
}
