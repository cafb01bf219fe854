package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static io.arqonbus.server.testing.Frames.responseTo;
import static io.arqonbus.server.testing.Frames.system;
import static io.arqonbus.server.testing.Frames.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Seed identification (client ids, taken ids, default channel) and per-channel stream positions. */
class IdentificationAndPositionTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension();
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    @Test
    void takenClientIdIsRefusedAndTheAssignedIdStays() throws Exception {
        RawWebSocket first = raw.connectWelcomed();
        first.send("{\"client_id\":\"unique-1\",\"client_type\":\"service\"}");
        first.send("{\"id\":\"arq_p\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(first.await(responseTo("arq_p"), T).path("payload").path("data").path("client_id").asText())
                .isEqualTo("unique-1");
        RawWebSocket second = raw.connect();
        String assigned = second.next(T).path("payload").path("client_id").asText();
        second.send("{\"client_id\":\"unique-1\"}");
        JsonNode err = second.next(T);
        assertThat(err.path("error_code").asText()).isEqualTo("CLIENT_ID_TAKEN");
        assertThat(err.path("error").asText()).contains(assigned);
        first.close();
        org.awaitility.Awaitility.await().atMost(T).until(() -> server.components().sessions().find("unique-1") == null);
        second.send("{\"client_id\":\"unique-1\"}");
        second.send("{\"id\":\"arq_p2\",\"type\":\"command\",\"command\":\"ping\"}");
        assertThat(second.await(responseTo("arq_p2"), T).path("payload").path("data").path("client_id").asText())
                .isEqualTo("unique-1");
    }

    @Test
    void roomWithoutChannelJoinsGeneral() throws Exception {
        RawWebSocket watcher = raw.connectWelcomed();
        watcher.send("{\"id\":\"arq_j\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"ident\",\"channel\":\"general\"}}");
        watcher.await(commandAckOf("arq_j"), T);
        RawWebSocket app = raw.connectWelcomed();
        app.send("{\"client_id\":\"ident-app\",\"room\":\"ident\",\"screen_name\":\"App\"}");
        JsonNode notice = watcher.await(system("join", "ident-app"), T);
        assertThat(notice.path("channel").asText()).isEqualTo("general");
        assertThat(notice.path("payload").path("client_type").asText()).isNotBlank();
    }

    @Test
    void offsetsIncreaseByOnePerChannelWithAStableEpoch() throws Exception {
        RawWebSocket sub = raw.connectWelcomed();
        for (String ch : new String[] {"pos-a", "pos-b"}) {
            sub.send("{\"id\":\"arq_" + ch + "\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"pos\",\"channel\":\"" + ch + "\"}}");
            sub.await(commandAckOf("arq_" + ch), T);
        }
        RawWebSocket pub = raw.connectWelcomed();
        for (int i = 0; i < 10; i++) {
            pub.send("{\"type\":\"message\",\"room\":\"pos\",\"channel\":\"" + (i % 2 == 0 ? "pos-a" : "pos-b") + "\",\"payload\":{}}");
        }
        long[] last = {0, 0};
        String[] epochs = new String[2];
        for (int i = 0; i < 10; i++) {
            JsonNode f = sub.await(type("message"), T);
            int idx = f.path("channel").asText().equals("pos-a") ? 0 : 1;
            long offset = f.path("metadata").path("offset").asLong();
            assertThat(offset).isEqualTo(last[idx] + 1);
            last[idx] = offset;
            String epoch = f.path("metadata").path("epoch").asText();
            assertThat(epoch).isNotBlank();
            if (epochs[idx] != null) {
                assertThat(epoch).isEqualTo(epochs[idx]);
            }
            epochs[idx] = epoch;
        }
        assertThat(last).containsExactly(5, 5);
        // The ack of a channel publication carries no delivery of the publisher's own message.
        assertThat(pub.drain()).allMatch(type("message_response"));
    }
}
