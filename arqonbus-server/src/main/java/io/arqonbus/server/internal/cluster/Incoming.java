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
 */
record Incoming(long offset, String epoch, byte[] json, Session sender) {
}
