package io.arqonbus.server.testing;

import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.redis.RedisLink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Redis links a test opens, closed after each test (after its own {@code @AfterEach} methods, so
 * after the stores that use them). Register on an instance field with {@code @RegisterExtension}.
 */
public final class RedisLinks implements AfterEachCallback {
    private final List<RedisLink> opened = new ArrayList<>();

    /** A new link to {@code config}: one of its own for each store, as each server has. */
    public RedisLink open(RedisConfig config) {
        RedisLink link = new RedisLink(config);
        opened.add(link);
        return link;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(RedisLink::close);
        opened.clear();
    }
}
