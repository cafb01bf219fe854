package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.session.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Carries private messages to clients connected to other nodes of the cluster. */
public interface PrivateRelay {
    /**
     * Sends {@code stamped} to each of {@code targetIds} that is connected to another node, within
     * the sender's tenant; never fails.
     *
     * @return the ids that are connected nowhere in the cluster (or to another tenant), in order
     */
    CompletableFuture<List<String>> relay(Session sender, Envelope stamped, List<String> targetIds);
}
