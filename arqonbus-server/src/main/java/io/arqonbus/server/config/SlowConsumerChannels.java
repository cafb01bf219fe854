package io.arqonbus.server.config;

import io.arqonbus.server.pattern.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which channels choose a slow-consumer policy of their own, and how much one member's backlog of
 * such a channel may hold.
 *
 * @param rules           {@code room:channel} globs with their policy, the first match wins; a channel
 *                        no rule matches is {@link ChannelSlowConsumerPolicy#DISCONNECT}
 * @param backlogMessages frames one member's backlog of one channel holds at most (it is also bounded
 *                        by {@code ARQONBUS_MAX_PENDING_BYTES} in bytes)
 */
public record SlowConsumerChannels(List<Rule> rules, int backlogMessages) {
    /** Default frames in one member's backlog of one channel: {@value}. */
    public static final int DEFAULT_BACKLOG_MESSAGES = 1_000;
    /** Largest backlog bound accepted: {@value}. */
    public static final int MAX_BACKLOG_MESSAGES = 1_000_000;

    /**
     * One rule: channels whose {@code room:channel} matches {@code pattern} ({@link Glob}) take
     * {@code policy}.
     */
    public record Rule(String pattern, ChannelSlowConsumerPolicy policy) {
        public Rule {
            Objects.requireNonNull(policy, "policy");
            ConfigException.check(pattern != null && !pattern.isBlank() && pattern.indexOf(',') < 0
                    && pattern.indexOf('=') < 0, "slow-consumer channel pattern: '%s' (expected: a room:channel glob)",
                    pattern);
            pattern = pattern.trim();
        }

        /** {@code pattern=policy}. */
        @Override
        public String toString() {
            return pattern + "=" + policy.wireName();
        }
    }

    public SlowConsumerChannels {
        rules = List.copyOf(rules);
        ConfigException.check(backlogMessages > 0 && backlogMessages <= MAX_BACKLOG_MESSAGES,
                "slow-consumer backlog: %d (expected: 1 to %d)", backlogMessages, MAX_BACKLOG_MESSAGES);
    }

    /** No rules (every channel {@code disconnect}), the default backlog bound. */
    public static SlowConsumerChannels defaults() {
        return new SlowConsumerChannels(List.of(), DEFAULT_BACKLOG_MESSAGES);
    }

    public SlowConsumerChannels withRules(List<Rule> value) {
        return new SlowConsumerChannels(value, backlogMessages);
    }

    public SlowConsumerChannels withBacklogMessages(int value) {
        return new SlowConsumerChannels(rules, value);
    }

    /** The policy of {@code room:channel}: the first matching rule's, else {@code DISCONNECT}. */
    public ChannelSlowConsumerPolicy policyOf(String room, String channel) {
        if (rules.isEmpty()) {
            return ChannelSlowConsumerPolicy.DISCONNECT;
        }
        String name = room + ":" + channel;
        for (Rule rule : rules) {
            if (Glob.matches(rule.pattern(), name)) {
                return rule.policy();
            }
        }
        return ChannelSlowConsumerPolicy.DISCONNECT;
    }

    /** The rules as configured: {@code ticks:*=conflate,feeds:*=drop-oldest}. */
    public String rulesText() {
        return rules.stream().map(Rule::toString).collect(Collectors.joining(","));
    }

    /**
     * Reads {@code pattern=policy[,pattern=policy…]} (blank items are skipped).
     *
     * @param source names where the text came from, in the error
     * @throws ConfigException naming the item that is not {@code pattern=policy}
     */
    public static List<Rule> parseRules(String source, String text) {
        List<Rule> rules = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.lastIndexOf('=');
            ChannelSlowConsumerPolicy policy = eq < 0 ? null : ChannelSlowConsumerPolicy.ofWireName(item.substring(eq + 1));
            if (eq <= 0 || item.substring(0, eq).isBlank() || policy == null) {
                throw new ConfigException(source + ": '" + item.trim() + "' (expected: room:channel-glob=policy, the "
                        + "policy one of " + ChannelSlowConsumerPolicy.names() + ")");
            }
            rules.add(new Rule(item.substring(0, eq), policy));
        }
        return rules;
    }
}
