package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;

/**
 * What a delivery task may ask of the channel it delivers for, read-only and without copying: its
 * key and whether it admits a connection (see {@link FilteredReceivers}).
 */
public interface ChannelView {

    ChannelKey key();

    /** Whether the session may see the channel: always for a public channel. */
    boolean admits(Session session);
}
