package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.internal.hub.ChannelFrames.command;
import static io.arqonbus.server.internal.hub.ChannelFrames.outcome;
import static io.arqonbus.server.internal.hub.ChannelFrames.publish;
import static io.arqonbus.server.internal.hub.ChannelFrames.replyOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Past {@code ARQONBUS_MAX_CHANNELS}, a new channel is refused with {@code CHANNEL_LIMIT} on every
 * path (publish: an error frame; join and create: the command reply), while existing channels keep
 * working; configured channels (the science room) do not count.
 */
class ChannelCapTest {
    static final int CAP = 5;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(TestTokens.SECRET).channels(c -> c.withMaxChannels(CAP)
            .withIdleGrace(Duration.ZERO)));

    @Test
    void pastTheTotalPublishJoinAndCreateAreRefusedWithChannelLimit() throws Exception {
        TestClient client = server.connect(TestTokens.bearer("ada", "admin", null));
        for (int i = 0; i < CAP; i++) {
            assertThat(outcome(publish(client, "cap", "c" + i))).isEqualTo("ok");
        }
        JsonNode refused = publish(client, "cap", "one-more");
        assertThat(outcome(refused)).isEqualTo("CHANNEL_LIMIT");
        assertThat(refused.path("payload").path("room").asText()).isEqualTo("cap");
        assertThat(refused.path("payload").path("channel").asText()).isEqualTo("one-more");
        assertThat(replyOutcome(command(client, "join_channel", "cap", "join-more"))).isEqualTo("CHANNEL_LIMIT");
        assertThat(replyOutcome(command(client, "create_channel", "cap", "create-more"))).isEqualTo("CHANNEL_LIMIT");
        assertThat(server.components().hub().channel(ChannelKey.of("cap", "one-more"))).isNull();
        assertThat(server.components().hub().room("cap").channels()).hasSize(CAP);

        // Existing channels still take publications and members, from any client.
        TestClient other = server.connect(TestTokens.bearer("oz", "user", null));
        assertThat(replyOutcome(command(other, "join_channel", "cap", "c0"))).isEqualTo("success");
        assertThat(outcome(publish(other, "cap", "c1"))).isEqualTo("ok");
        assertThat(server.components().metrics().scrape()).contains("arqonbus_channels_refused_total{code=\"CHANNEL_LIMIT\"} 3.0");

        // A deleted channel gives its place back.
        assertThat(replyOutcome(command(client, "delete_channel", "cap", "c2"))).isEqualTo("success");
        assertThat(outcome(publish(client, "cap", "one-more"))).isEqualTo("ok");
    }
}
