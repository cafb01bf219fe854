package io.arqonbus.server.internal.cluster;

import java.nio.charset.StandardCharsets;

/** The Lua script that sequences a publication in the cluster's Redis. */
final class ClusterScripts {
    private ClusterScripts() {
    }

    /**
     * Sequences one publication, atomically: a remembered idempotency key answers the first
     * publication's offset ({@code {1, offset, epoch}}); otherwise the stream's next offset is
     * taken from its meta hash (a stream new to the cluster takes the proposed epoch), the JSON is
     * completed with the position, appended ({@code XADD <offset>-0}, exact {@code MAXLEN}, store
     * time from Redis's clock so times never decrease along a stream), the key remembered, and the
     * message {@code <header>|<offset>|<epoch>\n<json>} published to the nodes
     * ({@code {0, offset, epoch}}).
     *
     * <p>KEYS: stream, meta, idempotency key. ARGV: proposed epoch, max entries per stream, JSON
     * before the offset, JSON after the epoch, "1" to splice the position in (else the JSON is
     * ARGV[3] whole), key lifetime in ms ("0": no key), the nodes' channel, header.
     */
    static final byte[] SEQUENCE = bytes("""
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[2], 'epoch', epoch)
            end
            if ARGV[6] ~= '0' then
              local seen = redis.call('GET', KEYS[3])
              if seen then return {1, seen, epoch} end
            end
            local offset = string.format('%d', redis.call('HINCRBY', KEYS[2], 'last', 1))
            local json = ARGV[3]
            if ARGV[5] == '1' then json = ARGV[3] .. offset .. ',"epoch":"' .. epoch .. '"' .. ARGV[4] end
            if tonumber(ARGV[2]) > 0 then
              local t = redis.call('TIME')
              local at = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
              redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], offset .. '-0', 'json', json, 'at', at)
            end
            if ARGV[6] ~= '0' then redis.call('SET', KEYS[3], offset, 'PX', ARGV[6]) end
            redis.call('PUBLISH', ARGV[7], ARGV[8] .. '|' .. offset .. '|' .. epoch .. '\\n' .. json)
            return {0, offset, epoch}
            """);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
