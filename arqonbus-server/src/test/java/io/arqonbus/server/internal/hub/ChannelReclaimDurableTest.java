package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.internal.hub.ChannelFrames.T;
import static io.arqonbus.server.internal.hub.ChannelFrames.command;
import static io.arqonbus.server.internal.hub.ChannelFrames.outcome;
import static io.arqonbus.server.internal.hub.ChannelFrames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With a durable (file) store, a reclaimed channel's stored stream stays: a channel made again for
 * the key continues its offsets and epoch, and a returning client recovers what it missed.
 */
class ChannelReclaimDurableTest {
    static final Path DATA = tempDir();

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.store(StoreLocation.file(DATA))
            .channels(c -> c.withIdleGrace(Duration.ofSeconds(1))));

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("arqonbus-reclaim");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aReclaimedChannelContinuesItsStoredStream() throws Exception {
        TestClient publisher = server.connect();
        assertThat(outcome(publish(publisher, "dur", "kept"))).isEqualTo("ok");
        String epoch = command(publisher, "channel_info", "dur", "kept").path("payload").path("data")
                .path("epoch").asText();
        assertThat(outcome(publish(publisher, "dur", "kept"))).isEqualTo("ok");

        await().atMost(T).until(() -> server.components().hub().channel(ChannelKey.of("dur", "kept")) == null);

        ObjectNode args = TestClient.object().put("room", "dur").put("channel", "kept");
        args.putObject("recover").put("offset", 1).put("epoch", epoch);
        JsonNode joined = publisher.command("join_channel", args).get(T.toMillis(), TimeUnit.MILLISECONDS)
                .path("payload").path("data");
        assertThat(joined.path("epoch").asText()).isEqualTo(epoch);
        assertThat(joined.path("offset").asLong()).isEqualTo(2);
        assertThat(joined.path("recovered").asBoolean()).as("%s", joined).isTrue();
        JsonNode replayed = publisher.await(f -> "message".equals(f.path("type").asText())
                && "kept".equals(f.path("channel").asText()), T);
        assertThat(replayed.path("metadata").path("offset").asLong()).isEqualTo(2);
    }
}
