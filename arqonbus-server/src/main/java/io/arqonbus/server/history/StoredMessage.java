package io.arqonbus.server.history;

import io.arqonbus.protocol.Envelope;
import java.time.Instant;

/**
 * One publication kept in history: the envelope exactly as it was delivered (sender and
 * stream position stamped) and when the store took it.
 */
public record StoredMessage(Envelope envelope, Instant storedAt) {
}
