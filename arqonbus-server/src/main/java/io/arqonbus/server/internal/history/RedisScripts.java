package io.arqonbus.server.internal.history;

import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts of the Redis history store. Entries are {@code XADD}ed with the id
 * {@code <offset>-0} and the fields {@code json} (the delivered bytes) and {@code at} (store time
 * in epoch milliseconds); within a stream, times do not decrease with offsets, which is what lets
 * a time bound be turned into an offset bound by a binary search over ids (each probe one
 * {@code XRANGE … COUNT 1}, so O(log² n) inside Redis and one round trip).
 */
final class RedisScripts {
    private RedisScripts() {
    }

    /**
     * Appends one entry. KEYS: stream, meta. ARGV: epoch, offset, maxlen, json, at. Another epoch
     * than the stored one drops the stream first; the meta hash is written after the XADD, so a
     * refused XADD (an offset not above the stream's last) changes nothing.
     */
    static final byte[] APPEND = bytes("""
            if redis.call('HGET', KEYS[2], 'epoch') ~= ARGV[1] then redis.call('DEL', KEYS[1]) end
            redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], ARGV[2] .. '-0', 'json', ARGV[4], 'at', ARGV[5])
            redis.call('HSET', KEYS[2], 'epoch', ARGV[1], 'last', ARGV[2])
            return 1
            """);

    /** Helpers shared by the reading scripts; {@code key} is the stream. */
    private static final String HELPERS = """
            local key = KEYS[1]
            local function offsetOf(e) return tonumber(string.match(e[1], '^(%d+)')) end
            local function atOf(e)
              local f = e[2]
              for i = 1, #f, 2 do if f[i] == 'at' then return tonumber(f[i + 1]) end end
              return 0
            end
            local function id(n) return string.format('%.0f', n) .. '-0' end
            -- The smallest offset from which every entry was stored at or after t; nil when none was.
            local function firstAtOrAfter(t)
              local last = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)[1]
              if last == nil or atOf(last) < t then return nil end
              local first = redis.call('XRANGE', key, '-', '+', 'COUNT', 1)[1]
              if atOf(first) >= t then return offsetOf(first) end
              local lo, hi = offsetOf(first), offsetOf(last)
              for _ = 1, 128 do
                if hi - lo <= 1 then break end
                local mid = math.floor((lo + hi) / 2)
                local e = redis.call('XRANGE', key, id(mid), '+', 'COUNT', 1)[1]
                if atOf(e) >= t then hi = mid else lo = offsetOf(e) end
              end
              return hi
            end
            """;

    /**
     * Reads one stream. ARGV: after (exclusive offset), minAt (inclusive millis, -1 for none),
     * untilAt (exclusive millis, -1 for none), limit, newestFirst ("1"/"0"). Returns a flat list
     * {@code id, at, json, …} in the order asked for.
     */
    static final String READ = HELPERS + """
            local lower = tonumber(ARGV[1]) + 1
            local minAt = tonumber(ARGV[2])
            local untilAt = tonumber(ARGV[3])
            if minAt >= 0 then
              local b = firstAtOrAfter(minAt)
              if b == nil then return {} end
              if b > lower then lower = b end
            end
            local upper = '+'
            if untilAt >= 0 then
              local b = firstAtOrAfter(untilAt)
              if b ~= nil then upper = '(' .. id(b) end
            end
            local entries
            if ARGV[5] == '1' then
              entries = redis.call('XREVRANGE', key, upper, id(lower), 'COUNT', ARGV[4])
            else
              entries = redis.call('XRANGE', key, id(lower), upper, 'COUNT', ARGV[4])
            end
            local out = {}
            for _, e in ipairs(entries) do
              local f = e[2]
              local json, at = '', '0'
              for i = 1, #f, 2 do
                if f[i] == 'json' then json = f[i + 1] elseif f[i] == 'at' then at = f[i + 1] end
              end
              out[#out + 1] = e[1]
              out[#out + 1] = at
              out[#out + 1] = json
            end
            return out
            """;

    /** Drops the entries stored before ARGV[1] (millis); returns the stream's length. */
    static final String TRIM = HELPERS + """
            local b = firstAtOrAfter(tonumber(ARGV[1]))
            if b == nil then
              redis.call('XTRIM', key, 'MAXLEN', 0)
            else
              redis.call('XTRIM', key, 'MINID', id(b))
            end
            return redis.call('XLEN', key)
            """;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
