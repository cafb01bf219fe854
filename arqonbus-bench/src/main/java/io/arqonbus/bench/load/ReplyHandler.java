package io.arqonbus.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * Reads the frames a publisher connection receives once it is ready (acks, errors). Called on the
 * connection's event loop; the content is released after the call returns.
 */
@FunctionalInterface
public interface ReplyHandler {
    void reply(ByteBuf content);
}
