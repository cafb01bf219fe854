package io.arqonbus.server.config;


import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Channel permissions by role: for each role, the {@code room:channel} patterns it may subscribe
 * to, publish to and read the history of. A pattern is a glob over {@code room:channel} ({@code *}
 * any run of characters, {@code ?} one character) and may name the connection's own claims:
 * {@code {sub}} and {@code {tenant}} (a pattern naming a claim the token lacks matches nothing).
 * A role that is not listed may do nothing; connections without a token have the
 * {@code anonymousRole}.
 *
 * <p>Immutable. Compile it for one connection with {@code Grants.of} (the server's auth package).
 */
public final class ChannelPermissions {
    private final Map<String, Map<ChannelAction, List<String>>> roles;
    private final String anonymousRole;

    /**
     * @param roles         role (case-insensitive) → action → patterns
     * @param anonymousRole the role of connections without a token (auth off), or {@code null} for
     *                      none (they may do nothing)
     * @throws IllegalArgumentException when a pattern is not valid
     */
    public ChannelPermissions(Map<String, Map<ChannelAction, List<String>>> roles, String anonymousRole) {
        Map<String, Map<ChannelAction, List<String>>> copy = new java.util.HashMap<>();
        roles.forEach((role, actions) -> {
            Map<ChannelAction, List<String>> byAction = new EnumMap<>(ChannelAction.class);
            actions.forEach((action, patterns) -> {
                for (String pattern : patterns) {
                    validate(pattern);
                }
                byAction.put(action, List.copyOf(patterns));
            });
            copy.put(role.toLowerCase(Locale.ROOT), byAction);
        });
        this.roles = Map.copyOf(copy);
        this.anonymousRole = anonymousRole == null ? null : anonymousRole.toLowerCase(Locale.ROOT);
    }

    private static void validate(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a channel pattern must not be empty");
        }
        String rest = pattern.replace("{sub}", "").replace("{tenant}", "");
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            throw new IllegalArgumentException("channel pattern '" + pattern
                    + "': the only placeholders are {sub} and {tenant}");
        }
    }

    /** The role's patterns for an action, as configured (for docs and tests). */
    public List<String> patterns(String role, ChannelAction action) {
        Map<ChannelAction, List<String>> actions = roles.get(role.toLowerCase(Locale.ROOT));
        return actions == null ? List.of() : actions.getOrDefault(action, List.of());
    }

    /** Every role (lower case) with its patterns per action. */
    public Map<String, Map<ChannelAction, List<String>>> roles() {
        return roles;
    }

    /** The role of connections without a token (auth off), lower case, or {@code null}: no rights. */
    public String anonymousRole() {
        return anonymousRole;
    }

}
