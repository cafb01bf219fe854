package io.arqonbus.server.compat;

import static io.arqonbus.server.testing.Frames.commandAckOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Everything one publisher causes reaches each receiver in the order it was caused: channel
 * publications, private messages, room broadcasts, join/leave notices, and the replies to the
 * receiver's own requests — whichever event loops the clients live on.
 */
class DeliveryOrderTest {
    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.ioThreads(2));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static String id(RawWebSocket ws) throws Exception {
        return ws.await(f -> f.path("payload").has("welcome"), T).path("payload").path("client_id").asText();
    }

    private static void join(RawWebSocket ws, String room, String channel, String rid) throws Exception {
        ws.send("{\"id\":\"" + rid + "\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\""
                + room + "\",\"channel\":\"" + channel + "\"}}");
        ws.await(commandAckOf(rid), T);
    }

    /** The labels ({@code payload.text}, or {@code event:client}) of everything received, up to {@code last}. */
    private static List<String> labelsUntil(RawWebSocket ws, String last) throws Exception {
        List<String> out = new ArrayList<>();
        while (out.size() < 10_000) {
            JsonNode f = ws.next(T);
            String label = f.path("type").asText().equals("system")
                    ? f.path("payload").path("event").asText() + ":" + f.path("payload").path("client_id").asText()
                    : f.path("payload").path("text").asText(f.path("type").asText());
            out.add(label);
            if (label.equals(last)) {
                return out;
            }
        }
        throw new AssertionError("too many frames");
    }

    @RepeatedTest(3)
    void mixedTrafficFromOnePublisherArrivesInOrderOnEveryLoop() throws Exception {
        // Four receivers on both loops (connections are spread round-robin).
        List<RawWebSocket> receivers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String ch = "order-" + System.nanoTime();
        for (int i = 0; i < 4; i++) {
            RawWebSocket r = raw.connect();
            ids.add(id(r));
            join(r, "order", ch, "arq_r" + i);
            receivers.add(r);
        }
        RawWebSocket publisher = raw.connect();
        String publisherId = id(publisher);
        // Each receiver first reads the join notices of the receivers that joined after it.
        for (int i = 0; i < receivers.size(); i++) {
            for (int j = i + 1; j < receivers.size(); j++) {
                receivers.get(i).await(io.arqonbus.server.testing.Frames.system("join", ids.get(j)), T);
            }
        }
        List<String> expected = new ArrayList<>();
        int n = 200;
        for (int i = 0; i < n; i++) {
            String label = "p" + i;
            if (i % 3 == 0) {
                publisher.send("{\"type\":\"private\",\"to\":[\"" + String.join("\",\"", ids)
                        + "\"],\"payload\":{\"text\":\"" + label + "\"}}");
            } else if (i % 7 == 0) {
                publisher.send("{\"type\":\"message\",\"room\":\"order\",\"payload\":{\"text\":\"" + label + "\"}}");
            } else {
                publisher.send("{\"type\":\"message\",\"room\":\"order\",\"channel\":\"" + ch
                        + "\",\"payload\":{\"text\":\"" + label + "\"}}");
            }
            expected.add(label);
            if (i == 50) {
                publisher.send("{\"id\":\"arq_pj\",\"type\":\"command\",\"command\":\"join_channel\",\"args\":{\"room\":\"order\",\"channel\":\"" + ch + "\"}}");
                expected.add("join:" + publisherId);
            }
            if (i == 150) {
                publisher.send("{\"id\":\"arq_pl\",\"type\":\"command\",\"command\":\"leave_channel\",\"args\":{\"room\":\"order\",\"channel\":\"" + ch + "\"}}");
                expected.add("leave:" + publisherId);
            }
        }
        for (RawWebSocket r : receivers) {
            assertThat(labelsUntil(r, "p" + (n - 1))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void repliesAndNoticesToOneClientKeepTheirOrder() throws Exception {
        // The receiver's own command replies interleave with deliveries caused by others; each
        // stream keeps its order, and a reply never overtakes the frames queued before it.
        RawWebSocket a = raw.connect();
        String aId = id(a);
        RawWebSocket b = raw.connect();
        id(b);
        String ch = "replies-" + System.nanoTime();
        join(a, "order", ch, "arq_a");
        join(b, "order", ch, "arq_b");
        a.drain();
        for (int i = 0; i < 100; i++) {
            b.send("{\"type\":\"message\",\"room\":\"order\",\"channel\":\"" + ch + "\",\"payload\":{\"text\":\"b" + i + "\"}}");
            b.send("{\"type\":\"private\",\"to\":\"" + aId + "\",\"payload\":{\"text\":\"q" + i + "\"}}");
        }
        List<String> got = labelsUntil(a, "q99");
        List<String> fromB = got.stream().filter(s -> s.startsWith("b") || s.startsWith("q")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("b" + i);
            expected.add("q" + i);
        }
        assertThat(fromB).containsExactlyElementsOf(expected);
    }
}
