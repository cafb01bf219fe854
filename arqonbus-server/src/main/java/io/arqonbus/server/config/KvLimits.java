package io.arqonbus.server.config;


/**
 * The bounds of the operator key-value store.
 *
 * @param maxValueBytes       largest value, as UTF-8 JSON text
 * @param maxKeysPerNamespace most keys one namespace holds
 * @param maxKeyLength        longest key (and namespace name), in characters
 */
public record KvLimits(int maxValueBytes, int maxKeysPerNamespace, int maxKeyLength) {
    /** Default largest value: {@value} bytes (64 KiB). */
    public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
    /** Default keys per namespace: {@value}. */
    public static final int DEFAULT_MAX_KEYS_PER_NAMESPACE = 10_000;
    /** Default longest key: {@value} characters. */
    public static final int DEFAULT_MAX_KEY_LENGTH = 256;

    public KvLimits {
        if (maxValueBytes < 1 || maxValueBytes > 16 * 1024 * 1024) {
            throw new ConfigException("kv max value bytes: " + maxValueBytes + " (expected: 1-16777216)");
        }
        if (maxKeysPerNamespace < 1) {
            throw new ConfigException("kv max keys per namespace: " + maxKeysPerNamespace + " (expected: > 0)");
        }
        if (maxKeyLength < 1 || maxKeyLength > 4096) {
            throw new ConfigException("kv max key length: " + maxKeyLength + " (expected: 1-4096)");
        }
    }

    /** The defaults. */
    public static KvLimits defaults() {
        return new KvLimits(DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_KEYS_PER_NAMESPACE, DEFAULT_MAX_KEY_LENGTH);
    }

    public KvLimits withMaxValueBytes(int value) {
        return new KvLimits(value, maxKeysPerNamespace, maxKeyLength);
    }

    public KvLimits withMaxKeysPerNamespace(int value) {
        return new KvLimits(maxValueBytes, value, maxKeyLength);
    }

    public KvLimits withMaxKeyLength(int value) {
        return new KvLimits(maxValueBytes, maxKeysPerNamespace, value);
    }
}
