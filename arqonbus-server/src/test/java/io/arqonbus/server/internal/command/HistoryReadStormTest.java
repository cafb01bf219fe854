package io.arqonbus.server.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large history reads run on the history workers, not on the event loops (one loop here, shared
 * by every connection): while readers hammer history with large replies (budget off), a
 * neighbour's publications keep flowing to it, all of them, in order; and the readers' own
 * replies stay in order with the other frames to their connection (each {@code response} directly
 * followed by its legacy {@code command_response}, a channel's publications in offset order).
 */
class HistoryReadStormTest {
    private static final int READERS = 4;
    private static final int MAX_READS_PER_READER = 400;
    private static final int NEIGHBOUR_MESSAGES = 200;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.historyReadRate(0).ioThreads(1));

    @Test
    void aNeighboursPublicationsKeepFlowingWhileOthersHammerHistory() throws Exception {
        String blob = "s".repeat(16 * 1024);
        for (int n = 0; n < 64; n++) {
            server.bus().publish("storm", "big", TestClient.parse("{\"n\":" + n + ",\"blob\":\"" + blob + "\"}"));
        }
        TestClient neighbour = server.connect();
        assertThat(neighbour.joinChannel("calm", "feed").get(10, TimeUnit.SECONDS).path("status").asText())
                .isEqualTo("success");
        neighbour.drain();
        TestClient publisher = server.connect();

        AtomicBoolean neighbourDone = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch underWay = new CountDownLatch(READERS);
        List<CompletableFuture<Void>> storm = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            TestClient reader = server.connect();
            storm.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < MAX_READS_PER_READER && !neighbourDone.get(); i++) {
                    JsonNode reply = reader.command("history", TestClient.object().put("room", "storm")
                            .put("channel", "big").put("limit", 64)).orTimeout(30, TimeUnit.SECONDS).join();
                    assertThat(reply.path("status").asText()).as("%s", reply.path("error")).isEqualTo("success");
                    assertThat(reply.path("payload").path("data").path("count").asInt()).isEqualTo(64);
                    reads.incrementAndGet();
                    if (i == 0) {
                        underWay.countDown();
                    }
                }
            }));
        }
        // Start publishing once the storm is under way.
        assertThat(underWay.await(30, TimeUnit.SECONDS)).isTrue();
        for (int n = 0; n < NEIGHBOUR_MESSAGES; n++) {
            publisher.publish("calm", "feed", TestClient.parse("{\"n\":" + n + "}"));
        }
        List<Integer> received = new ArrayList<>();
        while (received.size() < NEIGHBOUR_MESSAGES) {
            JsonNode frame = neighbour.await(f -> "message".equals(f.path("type").asText()), ArqonBusExtension.TIMEOUT);
            received.add(frame.path("payload").path("n").asInt());
        }
        neighbourDone.set(true);
        CompletableFuture.allOf(storm.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(received).as("every publication, in order").isEqualTo(
                java.util.stream.IntStream.range(0, NEIGHBOUR_MESSAGES).boxed().toList());
        // The storm was still running when the neighbour had everything: its deliveries were not
        // held back behind the reads.
        assertThat(reads.get()).isLessThan(READERS * MAX_READS_PER_READER);
    }

    @Test
    void aReplyStaysInOrderWithTheOtherFramesToItsConnection() throws Exception {
        String blob = "o".repeat(8 * 1024);
        for (int n = 0; n < 32; n++) {
            server.bus().publish("order", "big", TestClient.parse("{\"n\":" + n + ",\"blob\":\"" + blob + "\"}"));
        }
        TestClient reader = server.connect();
        assertThat(reader.joinChannel("order", "live").get(10, TimeUnit.SECONDS).path("status").asText())
                .isEqualTo("success");
        reader.drain();
        TestClient publisher = server.connect();
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(reader.command("history", TestClient.object().put("room", "order").put("channel", "big")
                    .put("limit", 32)));
            publisher.publish("order", "live", TestClient.parse("{\"n\":" + i + "}"));
        }
        for (CompletableFuture<JsonNode> reply : replies) {
            assertThat(reply.get(30, TimeUnit.SECONDS).path("status").asText()).isEqualTo("success");
        }
        // Collect the frames: every response directly followed by its command_response; the
        // channel's publications in offset order, none missing.
        List<JsonNode> frames = new ArrayList<>();
        int live = 0;
        int acks = 0;
        while (live < 20 || acks < 20) {
            JsonNode frame = reader.next(ArqonBusExtension.TIMEOUT);
            frames.add(frame);
            String type = frame.path("type").asText();
            if ("message".equals(type)) {
                live++;
            } else if ("command_response".equals(type)) {
                acks++;
            }
        }
        List<Integer> liveOrder = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            JsonNode frame = frames.get(i);
            String type = frame.path("type").asText();
            if ("response".equals(type)) {
                JsonNode ack = frames.get(i + 1);
                assertThat(ack.path("type").asText()).isEqualTo("command_response");
                assertThat(ack.path("request_id").asText()).isEqualTo(frame.path("request_id").asText());
            } else if ("message".equals(type)) {
                liveOrder.add(frame.path("payload").path("n").asInt());
            }
        }
        assertThat(liveOrder).isEqualTo(java.util.stream.IntStream.range(0, 20).boxed().toList());
    }
}
