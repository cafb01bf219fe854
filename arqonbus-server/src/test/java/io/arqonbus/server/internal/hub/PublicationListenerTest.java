package io.arqonbus.server.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listeners see channel publications and room broadcasts as delivered, and nothing else. */
class PublicationListenerTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    @Test
    void seesPublicationsAndBroadcastsButNotNoticesOrPrivateMessages() throws Exception {
        List<Envelope> seen = new CopyOnWriteArrayList<>();
        List<String> senders = new CopyOnWriteArrayList<>();
        Runnable remove = server.components().hub().addListener((envelope, sender) -> {
            seen.add(envelope);
            senders.add(sender == null ? "-" : sender.clientId());
        });
        try {
            TestClient a = server.connect();
            TestClient b = server.connect();
            a.joinChannel("tap", "one").get();
            b.joinChannel("tap", "one").get();
            a.publish("tap", "one", Map.of("n", 1));
            a.sendText("{\"type\":\"message\",\"room\":\"tap\",\"payload\":{\"n\":2}}");
            a.sendText("{\"type\":\"message\",\"to\":[\"" + b.clientId() + "\"],\"payload\":{\"n\":3}}");
            b.await(f -> f.path("payload").path("n").asInt() == 3, ArqonBusExtension.TIMEOUT);
            server.bus().publish("tap", "one", null);

            await().atMost(ArqonBusExtension.TIMEOUT).until(() -> seen.size() >= 3);
            assertThat(seen).extracting(e -> e.room() + ":" + e.channel())
                    .containsExactly("tap:one", "tap:null", "tap:one");
            assertThat(seen.get(0).position().offset()).isEqualTo(1);
            assertThat(seen.get(0).payload().path("n").asInt()).isEqualTo(1);
            assertThat(seen.get(2).position().offset()).isEqualTo(2);
            assertThat(senders).containsExactly(a.clientId(), a.clientId(), "-");
        } finally {
            remove.run();
        }
        server.bus().publish("tap", "one", null);
        assertThat(seen).hasSize(3);
    }
}
