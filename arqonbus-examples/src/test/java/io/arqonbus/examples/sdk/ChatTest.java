package io.arqonbus.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.BusInternals;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two members chat; one loses its connection and still gets every line, once, in order. */
class ChatTest {
    private static final Duration T = Duration.ofSeconds(20);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1).httpPort(-1));

    @Test
    void membersSeeEachOthersLinesAlsoAcrossAReconnect() throws Exception {
        List<Chat.Line> bobSees = new CopyOnWriteArrayList<>();
        List<Chat.Line> aliceSees = new CopyOnWriteArrayList<>();
        try (Chat alice = Chat.join(server.wsUri(), "lobby", "alice", aliceSees::add).get(10, TimeUnit.SECONDS);
             Chat bob = Chat.join(server.wsUri(), "lobby", "bob", bobSees::add).get(10, TimeUnit.SECONDS)) {
            assertThat(alice.say("hello bob").get(10, TimeUnit.SECONDS)).isEqualTo(1);
            bob.say("hi alice").get(10, TimeUnit.SECONDS);
            await().atMost(T).until(() -> bobSees.size() == 1 && aliceSees.size() == 1);
            assertThat(bobSees.get(0)).isEqualTo(new Chat.Line("alice", "hello bob", 1));
            assertThat(aliceSees.get(0).text()).isEqualTo("hi alice");

            String bobsFirstConnection = bob.clientId();
            BusInternals.of(server.bus()).sessions().find(bobsFirstConnection).channel().close();
            for (int i = 1; i <= 5; i++) {
                alice.say("line " + i).get(10, TimeUnit.SECONDS);
            }
            await().atMost(T).until(() -> bobSees.size() >= 6);
            assertThat(bobSees).extracting(Chat.Line::text)
                    .containsExactly("hello bob", "line 1", "line 2", "line 3", "line 4", "line 5");
            assertThat(bob.clientId()).isNotEqualTo(bobsFirstConnection);
        }
    }
}
