package io.arqonbus.server.internal.runtime;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import java.util.List;

/** The {@code science} room every bus starts with: the research workflow's channels, owned by the server. */
public final class ScienceRoom {
    /** The workflow channels of the {@code science} room. */
    public static final List<String> CHANNELS =
            List.of("general", "explore", "hypothesize", "design", "execute", "interpret", "share");

    private ScienceRoom() {
    }

    static void create(Hub hub) {
        for (String channel : CHANNELS) {
            hub.create(ChannelKey.of("science", channel), "system", "workflow", true);
        }
    }
}
