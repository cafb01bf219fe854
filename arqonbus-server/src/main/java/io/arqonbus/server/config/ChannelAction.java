package io.arqonbus.server.config;

/** What a connection may do with a {@code room:channel}, each granted by pattern per role. */
public enum ChannelAction {
    /** Join the channel and receive its publications. */
    SUBSCRIBE("subscribe"),
    /** Publish to the channel (a room broadcast counts as publishing to {@code room:*}). */
    PUBLISH("publish"),
    /** Read the channel's history (a room-wide read counts as reading {@code room:*}). */
    HISTORY("history");

    private final String key;

    ChannelAction(String key) {
        this.key = key;
    }

    /** The name in the configuration file. */
    public String key() {
        return key;
    }
}
