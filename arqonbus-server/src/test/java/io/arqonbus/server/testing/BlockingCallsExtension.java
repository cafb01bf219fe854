package io.arqonbus.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * Fails a test when code blocked on a Netty event loop while it ran. BlockHound is installed once
 * for the test JVM, with every integration on the class path (Netty's own, from netty-common, marks
 * the event loop threads as non-blocking and allows Netty's internal waits; BlockHound's allows
 * logging and the standard streams). A blocking call on a loop throws {@link BlockingOperationError}
 * there, as BlockHound does, and is also recorded, because a loop's task swallows errors: after each
 * test (and after each class, for what shutdown did) the recorded calls fail it. Registered for every
 * server test class through JUnit's extension auto-detection ({@code META-INF/services}).
 *
 * <p>Allowed below, each with its reason: reading {@code /dev/urandom} for a {@code SecureRandom}
 * (webhook secrets, ids) — that device never blocks once the kernel's pool is initialised, which
 * happens at boot, long before a server starts; and a hand-off to a bounded thread pool
 * ({@code ThreadPoolExecutor.execute}: the history readers and reply workers) — it offers to the
 * pool's queue under the queue's lock for a few instructions and never waits for space (a full
 * queue is refused at once); and Jackson's deserializer cache, which builds a type's deserializer
 * once under a lock ({@code DeserializerCache._createAndCacheValueDeserializer}): another thread
 * building the same one at that moment makes the loop wait for those microseconds, once per type in
 * the process's life; and Lettuce's endpoint lock ({@code SharedLock.incrementWriters}), which makes
 * a command wait only while its connection switches to a new channel after a reconnect (nothing is
 * buffered meanwhile: commands are refused while disconnected), so a Redis command sent from a loop
 * at that moment waits for that switch, never for Redis.
 */
public final class BlockingCallsExtension implements AfterEachCallback, AfterAllCallback {
    /** Blocking calls seen since the last check; JVM-wide because BlockHound's callback is. */
    private static final Queue<BlockingOperationError> FOUND = new ConcurrentLinkedQueue<>();

    static {
        BlockHound.builder()
                .loadIntegrations()
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes")
                .allowBlockingCallsInside("java.util.concurrent.ThreadPoolExecutor", "execute")
                .allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache",
                        "_createAndCacheValueDeserializer")
                .allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
                .blockingMethodCallback(method -> {
                    BlockingOperationError error = new BlockingOperationError(method);
                    FOUND.add(error);
                    throw error;
                })
                .install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        verifyNoBlockingCalls(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        verifyNoBlockingCalls(context.getDisplayName());
    }

    /**
     * Throws an {@link AssertionError} naming every blocking call recorded since the last check (the
     * first one as its cause, with the stack that made it), and forgets them.
     */
    public static void verifyNoBlockingCalls(String where) {
        List<BlockingOperationError> found = new ArrayList<>();
        for (BlockingOperationError e = FOUND.poll(); e != null; e = FOUND.poll()) {
            found.add(e);
        }
        if (!found.isEmpty()) {
            AssertionError failure = new AssertionError(where + " blocked on a Netty event loop "
                    + found.size() + " time(s): " + found.stream().map(Throwable::getMessage).distinct().toList(),
                    found.get(0));
            found.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
