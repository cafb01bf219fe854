package io.arqonbus.server.internal.transport;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One subscriber that never reads is closed with 4001 once its pending output passes the budget,
 * while a hundred subscribers that read get every message.
 */
class SlowConsumerTest {
    static final int MAX_PENDING = 256 * 1024;

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxPendingBytes(MAX_PENDING).legacyAcks(false)
            // The stuck client resumes reading only after the test saw the disconnect counted;
            // give it ample time to still find the 4001 frame behind its pending bytes.
            .closeWait(Duration.ofSeconds(60))
            // The stuck client answers no pings: on a slow machine keepalive (20 s + 10 s) would
            // close it with 1011 before its output passes the budget. This test is about the budget.
            .keepAliveInterval(Duration.ZERO));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void nonReaderIsClosedWith4001AndEveryoneElseGetsEverything() throws Exception {
        List<RawWebSocket> readers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RawWebSocket r = raw.connect(RawWebSocket.Options.defaults().countingOnly());
            r.next(T); // the welcome
            r.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"slow\",\"channel\":\"feed\"}}");
            // Joined before the next one joins, so each reader gets exactly the later joiners' notices
            // (two joins on different loops may otherwise land in either order).
            await().atMost(T).until(() -> r.counted() >= 1);
            readers.add(r);
        }
        // Joined: one reply each (legacy acks are off), plus the notices of later joiners.
        for (int i = 0; i < readers.size(); i++) {
            RawWebSocket r = readers.get(i);
            long expected = 1 + (readers.size() - 1 - i);
            await().atMost(T).until(() -> r.counted() >= expected);
        }
        long[] base = readers.stream().mapToLong(RawWebSocket::counted).toArray();
        RawWebSocket stuck = raw.connect(RawWebSocket.Options.defaults().withReceiveBuffer(2048));
        stuck.next(T);
        stuck.send("{\"id\":\"arq_js\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"slow\",\"channel\":\"feed\"}}");
        stuck.await(io.arqonbus.server.testing.Frames.responseTo("arq_js"), T);
        stuck.stopReading();
        for (int i = 0; i < readers.size(); i++) {
            RawWebSocket r = readers.get(i);
            long expected = base[i] + 1; // the stuck client's join notice
            await().atMost(T).until(() -> r.counted() >= expected);
        }
        long[] before = readers.stream().mapToLong(RawWebSocket::counted).toArray();

        RawWebSocket publisher = raw.connectWelcomed();
        char[] filler = new char[1024];
        Arrays.fill(filler, 'x');
        String body = new String(filler);
        int published = 0;
        int maxMessages = 4000;
        while (published < maxMessages && server.components().metrics().slowConsumerDisconnectsTotal() == 0) {
            for (int i = 0; i < 20; i++) {
                publisher.send("{\"type\":\"message\",\"room\":\"slow\",\"channel\":\"feed\",\"payload\":{\"seq\":"
                        + published + ",\"fill\":\"" + body + "\"}}");
                published++;
            }
            // Let the fan-out drain (20 KiB per reader per round, far below the budget) so the
            // readers never become slow themselves, even on a loaded machine.
            int target = published;
            await().atMost(Duration.ofSeconds(30)).until(() -> readers.get(0).counted() - before[0] >= target);
        }
        // The stuck client reads again: behind what was pending it finds the 4001 close frame.
        stuck.resumeReading();
        assertThat(published).isLessThan(maxMessages);
        RawWebSocket.Close close = stuck.closeFrame().get(T.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(close.reason()).isEqualTo("slow consumer");
        int total = published;
        for (int i = 0; i < readers.size(); i++) {
            RawWebSocket r = readers.get(i);
            long start = before[i];
            await().atMost(Duration.ofSeconds(30)).until(() -> r.counted() - start >= total);
            assertThat(r.counted() - start).isEqualTo(total + 1); // + the stuck client's leave notice
            assertThat(r.isOpen()).isTrue();
        }
        assertThat(server.components().metrics().slowConsumerDisconnectsTotal()).isEqualTo(1);
    }
}
