package io.arqonbus.server.internal.transport;

import static io.arqonbus.server.testing.Frames.responseTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.config.OutOfMemoryPolicy;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.LimitedDirectAllocator;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawHttp;
import io.arqonbus.server.testing.RawWebSocket;
import io.arqonbus.server.testing.WireSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Running out of direct memory never leaves a zombie. Each server here gets its connections'
 * buffers from an allocator with a limit of its own ({@link LimitedDirectAllocator}), so the test
 * JVM keeps its memory. Under {@code exit} the halt hook is called once, with status 3, after one
 * error line; under {@code shed} the connection that could not get memory is closed with 1013 and
 * logged once, its neighbours go on, and new handshakes are refused (503) while the direct memory
 * in use is above the high-water mark, then accepted again.
 */
class OutOfMemoryPolicyTest {
    private static final int MiB = 1024 * 1024;

    private static final LimitedDirectAllocator exitMemory = new LimitedDirectAllocator();
    private static final List<Integer> halts = new CopyOnWriteArrayList<>();
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension exitServer = new ArqonBusExtension(
            b -> b.maxMessageSize(8 * MiB).maxFrameSize(8 * MiB).onOutOfMemory(OutOfMemoryPolicy.EXIT),
            bus -> bus.allocator(exitMemory).onHalt(halts::add));

    private static final LimitedDirectAllocator shedMemory = new LimitedDirectAllocator();
    @RegisterExtension
    @Order(2)
    static final ArqonBusExtension shedServer = new ArqonBusExtension(
            b -> b.maxMessageSize(8 * MiB).maxFrameSize(8 * MiB).onOutOfMemory(OutOfMemoryPolicy.SHED)
                    .directMemoryHighWater(MiB),
            bus -> bus.allocator(shedMemory));

    @RegisterExtension
    @Order(3)
    static final RawClients exitClients = new RawClients(exitServer);
    @RegisterExtension
    @Order(4)
    static final RawClients shedClients = new RawClients(shedServer);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<WireSocket> sockets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger(OutOfMemoryGuard.class).addAppender(logs);
        logger(ExceptionHandler.class).addAppender(logs);
    }

    @AfterEach
    void release() throws IOException {
        logger(OutOfMemoryGuard.class).detachAppender(logs);
        logger(ExceptionHandler.class).detachAppender(logs);
        exitMemory.unlimited();
        shedMemory.unlimited();
        for (WireSocket ws : sockets) {
            ws.close();
        }
    }

    /** An event's key-value pairs as {@code key=value key2=value2}. */
    private static String fields(ILoggingEvent event) {
        return event.getKeyValuePairs().stream().map(p -> p.key + "=" + p.value)
                .collect(java.util.stream.Collectors.joining(" "));
    }

    private static ch.qos.logback.classic.Logger logger(Class<?> type) {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(type);
    }

    /** Log lines at WARN or above that name this client port. */
    private List<String> linesAbout(int port) {
        return logs.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(OutOfMemoryPolicyTest::fields)
                .filter(m -> m.contains(":" + port + " ") || m.endsWith(":" + port))
                .toList();
    }

    private WireSocket connect(ArqonBusExtension server) throws IOException {
        WireSocket ws = WireSocket.connect(server.bus().busAddress());
        sockets.add(ws);
        return ws;
    }

    /**
     * Announces a 6 MiB frame and sends up to {@code bytes} of it in 64 KiB writes; stops early
     * when the server has ended the connection (the writes then fail).
     */
    private static void sendPartOfABigFrame(WireSocket ws, int bytes) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try {
            ws.header(WireSocket.TEXT, true, 6 * MiB);
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                ws.payload(chunk);
            }
        } catch (IOException closedUnderUs) {
            // the server shed the connection while we were still sending
        }
    }

    private static void assertUsable(RawWebSocket ws, String id) throws Exception {
        ws.send("{\"id\":\"" + id + "\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(ws.await(responseTo(id), T).path("status").asText()).isEqualTo("success");
    }

    @Test
    void exitCallsTheHaltHookOnceWithStatus3AfterOneErrorLine() throws Exception {
        halts.clear();
        RawWebSocket neighbour = exitClients.connectWelcomed();
        WireSocket flooder = connect(exitServer);
        exitMemory.limit(exitMemory.pinnedDirectMemory() + MiB);
        sendPartOfABigFrame(flooder, 4 * MiB);
        await().atMost(T).until(() -> !halts.isEmpty());
        // A second connection runs out too: the process is already on its way out, no second halt.
        WireSocket second = connect(exitServer);
        sendPartOfABigFrame(second, 4 * MiB);
        second.awaitEnd(T);
        assertThat(halts).containsExactly(OutOfMemoryGuard.EXIT_STATUS);
        List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        assertThat(errors).hasSize(1);
        assertThat(fields(errors.get(0)))
                .startsWith("event=out_of_memory code=OUT_OF_MEMORY policy=exit memory=direct remote=")
                .contains("halts with status 3");
        // The hook returned (a test's does): the bus goes on, the neighbour never noticed.
        exitMemory.unlimited();
        assertUsable(neighbour, "arq_after_exit");
    }

    @Test
    void shedClosesTheConnectionWith1013AndLogsItOnceWhileItsNeighbourGoesOn() throws Exception {
        RawWebSocket neighbour = shedClients.connectWelcomed();
        WireSocket flooder = connect(shedServer);
        shedMemory.limit(shedMemory.pinnedDirectMemory() + MiB);
        sendPartOfABigFrame(flooder, 4 * MiB);
        WireSocket.Frame close = flooder.awaitClose();
        if (close != null) { // the close frame itself may not find memory: then the socket just ends
            assertThat(close.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(close.closeReason()).isEqualTo(OutOfMemoryGuard.SHED_REASON);
        }
        assertThat(flooder.awaitEnd(T)).isTrue();
        List<String> lines = linesAbout(flooder.localPort());
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("event=out_of_memory code=OUT_OF_MEMORY policy=shed memory=direct remote=");
        shedMemory.unlimited();
        assertUsable(neighbour, "arq_after_shed");
        assertThat(shedServer.components().metrics().registry().find("arqonbus.limit.closes").tag("reason", "out_of_memory")
                .counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shedRefusesHandshakesWhileDirectMemoryInUseIsAboveTheHighWaterMarkThenAcceptsAgain() throws Exception {
        WireSocket holder = connect(shedServer);
        sendPartOfABigFrame(holder, 2 * MiB); // held by the server until the frame ends or the connection does
        await().atMost(T).until(() -> shedMemory.pinnedDirectMemory() > MiB);

        RawHttp.Answer refused = RawHttp.exchange(shedServer.bus().busAddress(), RawHttp.upgrade("/", ""));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().get("retry-after")).isEqualTo("5");
        assertThat(refused.body()).isEqualTo(
                "{\"error\":\"Service Unavailable\",\"details\":\"The server is low on memory; try again later\"}");

        holder.close();
        await().atMost(T).until(() -> shedMemory.pinnedDirectMemory() <= MiB);
        RawWebSocket again = shedClients.connectWelcomed();
        assertUsable(again, "arq_accepted_again");
    }
}
