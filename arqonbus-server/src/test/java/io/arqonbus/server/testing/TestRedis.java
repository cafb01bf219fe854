package io.arqonbus.server.testing;

import io.arqonbus.server.config.RedisConfig;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The Redis the Redis tests use: the one named by {@code ARQONBUS_TEST_REDIS_URL} (or the system
 * property {@code arqonbus.test.redis.url}) — {@code .ci/run} starts one and sets it — or else a
 * {@code redis-server} this extension starts itself on a free port, once per test JVM, when the
 * program is on the PATH. Without either, the test fails and says so. Inject it as a parameter
 * ({@code @ExtendWith(TestRedis.class)}); each test takes its own key prefix.
 */
public final class TestRedis implements ParameterResolver {
    /** The environment variable (and, lower-cased with dots, system property) naming the Redis to use. */
    public static final String URL_VARIABLE = "ARQONBUS_TEST_REDIS_URL";

    private final String host;
    private final int port;

    private TestRedis(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Public for JUnit; use as {@code @ExtendWith(TestRedis.class)}. */
    public TestRedis() {
        this(null, 0);
    }

    /** Redis on this host and port, with a key prefix no other test uses. */
    public RedisConfig config() {
        return RedisConfig.of(host, port).withKeyPrefix("test:" + UUID.randomUUID() + ":");
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(TestRedis.class))
                .getOrComputeIfAbsent("redis", k -> locate(), Located.class).redis();
    }

    /** A Redis found or started; a started one stops when the test JVM's tests are done. */
    private record Located(TestRedis redis, RedisServer started)
            implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (started != null) {
                started.close();
            }
        }
    }

    private static Located locate() {
        String url = System.getProperty("arqonbus.test.redis.url", System.getenv(URL_VARIABLE));
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.trim());
            int port = uri.getPort() < 0 ? RedisConfig.DEFAULT_PORT : uri.getPort();
            if (!RedisServer.ping(uri.getHost(), port)) {
                throw new AssertionError(URL_VARIABLE + "=" + url + " but no Redis answers PING there");
            }
            return new Located(new TestRedis(uri.getHost(), port), null);
        }
        if (RedisServer.binary() == null) {
            throw new AssertionError("The Redis tests need a Redis server: set " + URL_VARIABLE
                    + "=redis://127.0.0.1:<port>, or install redis-server (apt-get install -y redis-server) so the "
                    + "tests can start one; .ci/run does both.");
        }
        RedisServer server = RedisServer.launch();
        return new Located(new TestRedis("127.0.0.1", server.port()), server);
    }
}
