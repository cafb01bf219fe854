package io.arqonbus.server.internal.hub;

import static io.arqonbus.server.internal.hub.ChannelFrames.command;
import static io.arqonbus.server.internal.hub.ChannelFrames.outcome;
import static io.arqonbus.server.internal.hub.ChannelFrames.publish;
import static io.arqonbus.server.internal.hub.ChannelFrames.replyOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With auth on, {@code ARQONBUS_MAX_CHANNELS_PER_TENANT} bounds the channels one tenant's
 * connections create, together; another tenant is not affected.
 */
class ChannelTenantCapTest {
    static final int PER_TENANT = 3;

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(TestTokens.SECRET)
            .channels(c -> c.withMaxChannelsPerTenant(PER_TENANT).withIdleGrace(Duration.ZERO)));

    @Test
    void aTenantPastItsShareGetsChannelLimitAndAnotherTenantDoesNot() throws Exception {
        TestClient ann = server.connect(TestTokens.bearer("ann", "user", "t1"));
        TestClient amy = server.connect(TestTokens.bearer("amy", "user", "t1"));
        TestClient bob = server.connect(TestTokens.bearer("bob", "user", "t2"));
        assertThat(outcome(publish(ann, "t1room", "a"))).isEqualTo("ok");
        assertThat(outcome(publish(ann, "t1room", "b"))).isEqualTo("ok");
        assertThat(replyOutcome(command(amy, "join_channel", "t1room", "c"))).isEqualTo("success");
        // The tenant's share is spent by its two connections together.
        assertThat(outcome(publish(ann, "t1room", "d"))).isEqualTo("CHANNEL_LIMIT");
        assertThat(replyOutcome(command(amy, "join_channel", "t1room", "e"))).isEqualTo("CHANNEL_LIMIT");
        for (int i = 0; i < PER_TENANT; i++) {
            assertThat(outcome(publish(bob, "t2room", "b" + i))).isEqualTo("ok");
        }
        // The tenant's own channels still work.
        assertThat(replyOutcome(command(amy, "join_channel", "t1room", "a"))).isEqualTo("success");
    }
}
