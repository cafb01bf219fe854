package io.arqonbus.server.internal.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Filtered subscriptions over the wire with real clients: a table of subscribers (filters,
 * overlapping filters, channel memberships, a publisher subscribing to everything) against a fixed
 * list of publications proves exact delivery — no misses, no duplicates, nothing outside a filter,
 * never the sender's own publication.
 */
class FilteredSubscriptionTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxSubscriptionsPerConnection(3));

    private static final Duration T = ArqonBusExtension.TIMEOUT;

    /** One publication: who sends it, where (channel {@code null}: a room broadcast), which type; numbered from 1. */
    private record Pub(String publisher, String room, String channel, String type) {
    }

    private static final List<Pub> PUBLICATIONS = List.of(
            new Pub("P1", "ta", "chat", "message"),        // 1
            new Pub("P2", "ta", "chat", "event"),          // 2
            new Pub("P1", "ta", "alerts-cpu", "message"),  // 3
            new Pub("P2", "tb", "alerts-db", "message"),   // 4
            new Pub("P1", "tb", "alerts-db", "event"),     // 5
            new Pub("P2", "tb", "general", "message"),     // 6
            new Pub("P1", "ta", null, "message"),          // 7 room broadcast
            new Pub("P2", "tb", null, "message"),          // 8 room broadcast
            new Pub("P1", "tc", "news", "message"),        // 9
            new Pub("P2", "tc", "alerts-x", "event"));     // 10

    /**
     * One subscriber: its channel memberships, its filters ({@code $P1}/{@code $P2} stand for the
     * publishers' client ids) and exactly the publications it must receive. A row named P1 or P2 is
     * that publisher itself.
     */
    private record Row(String name, List<String> memberships, List<String> filters, List<Integer> expected) {
    }

    private static final List<Row> TABLE = List.of(
            new Row("everything", List.of(), List.of("{}"), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
            new Row("room ta", List.of(), List.of("{\"room\":\"ta\"}"), List.of(1, 2, 3, 7)),
            new Row("alerts glob", List.of(), List.of("{\"channel\":\"alerts-*\"}"), List.of(3, 4, 5, 10)),
            new Row("one letter glob", List.of(), List.of("{\"channel\":\"ne?s\"}"), List.of(9)),
            new Row("sender P1", List.of(), List.of("{\"sender\":\"$P1\"}"), List.of(1, 3, 5, 7, 9)),
            new Row("events", List.of(), List.of("{\"types\":[\"event\"]}"), List.of(2, 5, 10)),
            new Row("all fields", List.of(),
                    List.of("{\"room\":\"tb\",\"channel\":\"alerts-*\",\"sender\":\"$P2\",\"types\":[\"message\"]}"),
                    List.of(4)),
            new Row("member + overlapping filters", List.of("ta:chat"),
                    List.of("{\"room\":\"ta\"}", "{\"room\":\"ta\",\"channel\":\"chat\"}", "{\"sender\":\"$P2\"}"),
                    List.of(1, 2, 3, 4, 6, 7, 8, 10)),
            new Row("member only", List.of("tb:alerts-db"), List.of(), List.of(4, 5, 8)),
            new Row("member + filter on its channel", List.of("tb:alerts-db"),
                    List.of("{\"room\":\"tb\",\"channel\":\"alerts-*\",\"types\":[\"message\"]}"), List.of(4, 5, 8)),
            new Row("two filters, same matches", List.of(),
                    List.of("{\"types\":[\"message\"]}", "{\"room\":\"tc\"}"), List.of(1, 3, 4, 6, 7, 8, 9, 10)),
            new Row("member of two channels + filter", List.of("ta:chat", "ta:alerts-cpu"),
                    List.of("{\"room\":\"ta\",\"types\":[\"message\"]}"), List.of(1, 2, 3, 7)),
            new Row("no match", List.of(), List.of("{\"room\":\"zz\"}"), List.of()),
            new Row("P1", List.of(), List.of("{}"), List.of(2, 4, 6, 8, 10)),
            new Row("P2", List.of("ta:chat"), List.of("{\"room\":\"tb\"}"), List.of(1, 5, 7)));

    @Test
    void everySubscriberReceivesExactlyWhatItsFiltersAndMembershipsSelect() throws Exception {
        Map<String, TestClient> publishers = Map.of("P1", server.connect(), "P2", server.connect());
        Map<String, List<JsonNode>> received = new LinkedHashMap<>();
        Map<String, TestClient> clients = new LinkedHashMap<>();
        for (Row row : TABLE) {
            TestClient client = publishers.containsKey(row.name()) ? publishers.get(row.name()) : server.connect();
            clients.put(row.name(), client);
            received.put(row.name(), new ArrayList<>());
            for (String membership : row.memberships()) {
                String[] rc = membership.split(":");
                assertThat(client.joinChannel(rc[0], rc[1]).get().path("status").asText()).isEqualTo("success");
            }
            for (String filter : row.filters()) {
                String json = filter.replace("$P1", publishers.get("P1").clientId())
                        .replace("$P2", publishers.get("P2").clientId());
                JsonNode reply = subscribe(client, TestClient.parse(json));
                assertThat(reply.path("status").asText()).as(row.name() + " " + json).isEqualTo("success");
                assertThat(reply.path("payload").path("data").path("subscriber_id").asText()).matches("sub_[0-9a-f]{16}");
            }
        }
        // Joins told the other members; those notices are not publications.
        for (TestClient client : clients.values()) {
            barrier(client);
            client.drain();
        }

        for (int i = 0; i < PUBLICATIONS.size(); i++) {
            Pub pub = PUBLICATIONS.get(i);
            TestClient publisher = publishers.get(pub.publisher());
            ObjectNode frame = TestClient.object().put("type", pub.type()).put("room", pub.room());
            if (pub.channel() != null) {
                frame.put("channel", pub.channel());
            }
            frame.putObject("payload").put("n", i + 1);
            publisher.send(frame);
            int n = i + 1;
            // The publisher's ack leaves after its delivery tasks were queued on every loop.
            awaitCollecting(publisher, f -> "message_response".equals(f.path("type").asText())
                    && f.path("payload").path("n").asInt() == n, received.get(pub.publisher()));
        }

        for (Row row : TABLE) {
            TestClient client = clients.get(row.name());
            barrier(client);
            List<JsonNode> frames = received.get(row.name());
            frames.addAll(client.drain());
            List<Integer> got = frames.stream()
                    .filter(f -> ("message".equals(f.path("type").asText()) || "event".equals(f.path("type").asText()))
                            && f.path("payload").has("n"))
                    .map(f -> f.path("payload").path("n").asInt())
                    .sorted()
                    .toList();
            assertThat(got).as(row.name()).containsExactlyElementsOf(row.expected());
        }
    }

    @Test
    void aFilterDeliversTheSameFrameAMemberGets() throws Exception {
        TestClient member = server.connect();
        TestClient watcher = server.connect();
        TestClient publisher = server.connect();
        member.joinChannel("same", "frame").get();
        subscribe(watcher, TestClient.parse("{\"room\":\"same\"}"));
        publisher.publish("same", "frame", Map.of("x", 1));
        JsonNode viaMembership = member.await(f -> f.path("payload").path("x").asInt() == 1, T);
        JsonNode viaFilter = watcher.await(f -> f.path("payload").path("x").asInt() == 1, T);
        assertThat(viaFilter).isEqualTo(viaMembership);
        assertThat(viaFilter.path("metadata").path("offset").asLong()).isEqualTo(1);
        assertThat(viaFilter.path("metadata").path("epoch").asText()).isNotEmpty();

        // A filter subscriber does not join: no notice, not counted, not in channel_info.
        JsonNode info = member.command("channel_info", TestClient.object().put("room", "same")
                .put("channel", "frame")).get();
        assertThat(info.path("payload").path("data").path("member_count").asInt()).isEqualTo(1);
    }

    @Test
    void unsubscribeStopsDeliveryAndOnlyTheOwnerMayUnsubscribe() throws Exception {
        TestClient watcher = server.connect();
        TestClient other = server.connect();
        TestClient publisher = server.connect();
        String id = subscribe(watcher, TestClient.parse("{\"room\":\"unsub\"}"))
                .path("payload").path("data").path("subscriber_id").asText();

        JsonNode foreign = unsubscribe(other, id);
        assertThat(foreign.path("error_code").asText()).isEqualTo("NOT_FOUND");

        publisher.publish("unsub", "c", Map.of("n", 1));
        watcher.await(f -> f.path("payload").path("n").asInt() == 1, T);

        JsonNode done = unsubscribe(watcher, id);
        assertThat(done.path("status").asText()).isEqualTo("success");
        assertThat(done.path("payload").path("data").path("subscriber_id").asText()).isEqualTo(id);
        assertThat(unsubscribe(watcher, id).path("error_code").asText()).isEqualTo("NOT_FOUND");
        assertThat(unsubscribe(watcher, "sub_0000000000000000").path("error_code").asText()).isEqualTo("NOT_FOUND");

        publisher.publish("unsub", "c", Map.of("n", 2));
        publisher.await(f -> "message_response".equals(f.path("type").asText())
                && f.path("payload").path("n").asInt() == 2, T);
        barrier(watcher);
        assertThat(watcher.drain()).noneMatch(f -> f.path("payload").path("n").asInt() == 2);
    }

    @Test
    void aConnectionHoldsAtMostTheConfiguredNumberOfSubscriptions() throws Exception {
        TestClient client = server.connect();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(subscribe(client, TestClient.parse("{\"room\":\"r" + i + "\"}"))
                    .path("payload").path("data").path("subscriber_id").asText());
        }
        JsonNode refused = subscribe(client, TestClient.parse("{}"));
        assertThat(refused.path("status").asText()).isEqualTo("error");
        assertThat(refused.path("error_code").asText()).isEqualTo("MAX_SUBSCRIBERS");
        assertThat(refused.path("error").asText()).contains("3 filtered subscriptions");

        unsubscribe(client, ids.get(1));
        assertThat(subscribe(client, TestClient.parse("{}")).path("status").asText()).isEqualTo("success");
        // Another connection has its own budget.
        assertThat(subscribe(server.connect(), TestClient.parse("{}")).path("status").asText())
                .isEqualTo("success");
    }

    @Test
    void invalidFiltersAreRefusedWithTheReasonAndTheConnectionStaysUsable() throws Exception {
        TestClient client = server.connect();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"room_id\":\"x\"}", "unknown filter field 'room_id'");
        cases.put("{\"channel\":\"a[b]\"}", "only * and ? are wildcards");
        cases.put("{\"channel\":\"a:b\"}", "only * and ? are wildcards");
        cases.put("{\"types\":[\"m.room.message\"]}", "unknown type 'm.room.message'");
        cases.put("{\"types\":\"message\"}", "'types' must be an array of strings");
        cases.put("{\"sender\":5}", "'sender' must be a string");
        cases.put("{\"room\":\"\"}", "'room' must be 1 to 256 characters");
        cases.put("[\"room\"]", "the filter must be a JSON object");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode reply = subscribe(client, TestClient.parse(c.getKey()));
            assertThat(reply.path("status").asText()).as(c.getKey()).isEqualTo("error");
            assertThat(reply.path("error_code").asText()).as(c.getKey()).isEqualTo("INVALID_FILTER");
            assertThat(reply.path("error").asText()).as(c.getKey()).startsWith("Invalid filter: ").contains(c.getValue());
        }
        assertThat(client.command("ping", null).get().path("status").asText()).isEqualTo("success");
        assertThat(subscribe(client, TestClient.parse("{\"room\":\"ok\"}")).path("status").asText())
                .isEqualTo("success");
    }

    static JsonNode subscribe(TestClient client, JsonNode filter) throws Exception {
        ObjectNode args = TestClient.object();
        args.set("filter", filter);
        return client.command("subscribe", args).get();
    }

    static JsonNode unsubscribe(TestClient client, String id) throws Exception {
        return client.command("unsubscribe", TestClient.object().put("subscriber_id", id)).get();
    }

    /**
     * Everything queued for the client before this point has arrived once the reply to a ping sent
     * now has: every frame to a connection leaves through one queue on its loop, in order.
     */
    static void barrier(TestClient client) throws Exception {
        client.command("ping", null).get();
    }

    private static void awaitCollecting(TestClient client, java.util.function.Predicate<JsonNode> match,
            List<JsonNode> sink) throws TimeoutException {
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            JsonNode frame = client.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (match.test(frame)) {
                return;
            }
            sink.add(frame);
        }
    }
}
