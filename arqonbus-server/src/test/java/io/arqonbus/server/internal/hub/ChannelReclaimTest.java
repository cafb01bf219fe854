package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.internal.hub.ChannelFrames.T;
import static io.arqonbus.server.internal.hub.ChannelFrames.command;
import static io.arqonbus.server.internal.hub.ChannelFrames.outcome;
import static io.arqonbus.server.internal.hub.ChannelFrames.publish;
import static io.arqonbus.server.internal.hub.ChannelFrames.replyOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the memory store, an empty channel created implicitly is reclaimed after the idle grace,
 * with its history (a returning client gets {@code recovered:false} and a new epoch) and a
 * {@code channel_deleted} event with reason {@code idle}; a channel with a member, a channel an
 * admin created and the science room stay.
 */
class ChannelReclaimTest {
    static final Duration GRACE = Duration.ofSeconds(1);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(TestTokens.SECRET).channels(c -> c.withIdleGrace(GRACE)));

    static Hub hub() {
        return server.components().hub();
    }

    @Test
    void anEmptyImplicitChannelIsReclaimedAndOthersStay() throws Exception {
        TestClient admin = server.connect(TestTokens.bearer("ada", "admin", null));
        TestClient member = server.connect(TestTokens.bearer("mo", "user", null));
        TestClient publisher = server.connect(TestTokens.bearer("pat", "user", null));
        TestClient watcher = TestClient.connect(server.telemetryUri()).get(T.toMillis(), TimeUnit.MILLISECONDS);
        ChannelKey gone = ChannelKey.of("idle", "gone");
        ChannelKey kept = ChannelKey.of("idle", "member");
        ChannelKey made = ChannelKey.of("idle", "admin");

        assertThat(replyOutcome(command(member, "join_channel", "idle", "member"))).isEqualTo("success");
        assertThat(replyOutcome(command(admin, "create_channel", "idle", "admin"))).isEqualTo("success");
        JsonNode echo = publish(publisher, "idle", "gone");
        assertThat(outcome(echo)).isEqualTo("ok");
        String epoch = command(publisher, "channel_info", "idle", "gone").path("payload").path("data").path("epoch").asText();
        assertThat(epoch).isNotEmpty();

        await().atMost(T).until(() -> hub().channel(gone) == null);
        JsonNode event = watcher.await(f -> "channel_deleted".equals(f.path("event_type").asText()), T);
        assertThat(event.path("data").path("channel").asText()).isEqualTo("gone");
        assertThat(event.path("data").path("reason").asText()).isEqualTo("idle");
        assertThat(event.path("data").path("deleted_by").asText()).isEqualTo("arqonbus");
        assertThat(hub().channel(kept)).isNotNull();
        assertThat(hub().channel(made)).isNotNull();
        assertThat(hub().room("science")).isNotNull();
        assertThat(server.components().metrics().scrape()).contains("arqonbus_channels_reclaimed_total");

        // Its history went with it: a returning client cannot recover and sees a new epoch.
        ObjectNode args = TestClient.object().put("room", "idle").put("channel", "gone");
        args.putObject("recover").put("offset", 0).put("epoch", epoch);
        JsonNode joined = publisher.command("join_channel", args).get(T.toMillis(), TimeUnit.MILLISECONDS)
                .path("payload").path("data");
        assertThat(joined.path("recovered").asBoolean()).isFalse();
        assertThat(joined.path("epoch").asText()).isNotEqualTo(epoch);
        assertThat(joined.path("offset").asLong()).isZero();

        // A member's channel is never reclaimed: still there several graces later.
        await().during(GRACE.multipliedBy(3)).atMost(T).until(() -> hub().channel(kept) != null
                && hub().channel(gone) != null && hub().channel(made) != null);
    }
}
