package io.arqonbus.server.internal.cluster;

import io.arqonbus.server.internal.session.Session;

/**
 * A publication as it reaches this node: from the nodes' channel, or read from the stream to fill
 * a gap.
 *
 * @param offset its offset in the stream (0: delivered unsequenced while Redis was down)
 * @param epoch  the stream's epoch
 * @param json   the envelope as delivered
 * @param sender the local connection that published it, or {@code null}
 * @param here   whether this node accepted it (its message names this node, or Redis could not
 *               take it); {@code false} for another node's, and for one read from the stream to
 *               fill a gap (the stream does not say who accepted it)
 */
record Incoming(long offset, String epoch, byte[] json, Session sender, boolean here) {
}
