package io.arqonbus.server.internal.cluster;

/**
 * The Lua scripts of the cluster's presence ({@link RedisMemberDirectory}). Keys, under the key
 * prefix: {@code presence:{room}}, a sorted set of {@code <channel>\t<node>} scored with the time
 * (epoch ms) its entries expire; {@code presence:{room}:<channel>:<node>}, a hash of that node's
 * members of the channel (client id → entry), expiring with the node's heartbeat. The braces keep
 * a room's keys in one Redis Cluster slot.
 */
final class PresenceScripts {
    private PresenceScripts() {
    }

    /**
     * A member joined ({@code join}) or left ({@code leave}) on this node, or nothing changed
     * ({@code relay}); then the channel's members on every live node are counted and the notice (if
     * any) is published once to each other node with members, its {@code "member_count":-1}
     * replaced by the count. Returns the count.
     *
     * <p>KEYS: the room's index, this node's hash of the channel. ARGV: op, now (ms), TTL (ms),
     * channel, node, the channel's hash prefix ({@code …presence:{room}:<channel>:}), the notice
     * channels' prefix ({@code …notices:}), notice JSON ({@code ""}: none), client id, entry.
     */
    static final String CHANGE = """
            local now = tonumber(ARGV[2])
            local mine = ARGV[4] .. '\\t' .. ARGV[5]
            if ARGV[1] == 'join' then
              redis.call('HSET', KEYS[2], ARGV[9], ARGV[10])
              redis.call('PEXPIRE', KEYS[2], ARGV[3])
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), mine)
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            elseif ARGV[1] == 'leave' then
              redis.call('HDEL', KEYS[2], ARGV[9])
              if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('ZREM', KEYS[1], mine) end
            end
            local count = 0
            local others = {}
            local head = ARGV[4] .. '\\t'
            for _, entry in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
              if string.sub(entry, 1, #head) == head then
                local node = string.sub(entry, #head + 1)
                local n = redis.call('HLEN', ARGV[6] .. node)
                count = count + n
                if n > 0 and node ~= ARGV[5] then table.insert(others, node) end
              end
            end
            if ARGV[8] ~= '' then
              local notice = string.gsub(ARGV[8], '"member_count":%-1', '"member_count":' .. count, 1)
              for _, node in ipairs(others) do redis.call('PUBLISH', ARGV[7] .. node, notice) end
            end
            return count
            """;

    /**
     * The members of a room's channels on every live node: {@code count} mode answers
     * {@code {channel, n, …}} (one pair per channel and node), {@code list} mode
     * {@code {channel, {client id, entry, …}, …}}.
     *
     * <p>KEYS: the room's index. ARGV: now (ms), the room's hash prefix ({@code …presence:{room}:}),
     * channel ({@code ""}: every channel), mode.
     */
    static final String QUERY = """
            local out = {}
            for _, entry in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')) do
              local tab = string.find(entry, '\\t', 1, true)
              local channel = string.sub(entry, 1, tab - 1)
              if ARGV[3] == '' or ARGV[3] == channel then
                local hash = ARGV[2] .. channel .. ':' .. string.sub(entry, tab + 1)
                table.insert(out, channel)
                if ARGV[4] == 'count' then
                  table.insert(out, redis.call('HLEN', hash))
                else
                  table.insert(out, redis.call('HGETALL', hash))
                end
              end
            end
            return out
            """;
}
