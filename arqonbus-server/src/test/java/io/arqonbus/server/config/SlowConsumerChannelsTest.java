package io.arqonbus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.internal.config.EnvironmentConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ARQONBUS_SLOW_CONSUMER_CHANNELS} and {@code ARQONBUS_SLOW_CONSUMER_BACKLOG}: reading, matching, refusals. */
class SlowConsumerChannelsTest {

    private static ServerConfig fromEnv(Map<String, String> env) {
        return new EnvironmentConfig(env).applyTo(ServerConfig.builder()).build();
    }

    @Test
    void theFirstMatchingPatternWinsAndOtherChannelsDisconnect() {
        ServerConfig c = fromEnv(Map.of("ARQONBUS_SLOW_CONSUMER_CHANNELS",
                " ticks:*=conflate , feeds:prices-*=DROP-OLDEST,feeds:*=disconnect,*:*=drop-oldest",
                "ARQONBUS_SLOW_CONSUMER_BACKLOG", "250"));
        SlowConsumerChannels s = c.slowConsumerChannels();
        assertThat(s.backlogMessages()).isEqualTo(250);
        assertThat(s.policyOf("ticks", "eurusd")).isEqualTo(ChannelSlowConsumerPolicy.CONFLATE);
        assertThat(s.policyOf("feeds", "prices-eu")).isEqualTo(ChannelSlowConsumerPolicy.DROP_OLDEST);
        assertThat(s.policyOf("feeds", "chat")).isEqualTo(ChannelSlowConsumerPolicy.DISCONNECT);
        assertThat(s.policyOf("other", "x")).isEqualTo(ChannelSlowConsumerPolicy.DROP_OLDEST);
        assertThat(s.rulesText()).isEqualTo("ticks:*=conflate,feeds:prices-*=drop-oldest,feeds:*=disconnect,*:*=drop-oldest");
    }

    @Test
    void theDefaultIsDisconnectForEveryChannel() {
        SlowConsumerChannels s = ServerConfig.defaults().slowConsumerChannels();
        assertThat(s.rules()).isEmpty();
        assertThat(s.backlogMessages()).isEqualTo(SlowConsumerChannels.DEFAULT_BACKLOG_MESSAGES);
        assertThat(s.policyOf("science", "general")).isEqualTo(ChannelSlowConsumerPolicy.DISCONNECT);
    }

    @Test
    void anItemThatIsNotPatternEqualsPolicyIsRefusedByName() {
        assertThatThrownBy(() -> fromEnv(Map.of("ARQONBUS_SLOW_CONSUMER_CHANNELS", "ticks:*=conflate,feeds:*=drop-newest")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ARQONBUS_SLOW_CONSUMER_CHANNELS")
                .hasMessageContaining("'feeds:*=drop-newest'")
                .hasMessageContaining("disconnect, drop-oldest or conflate");
        assertThatThrownBy(() -> fromEnv(Map.of("ARQONBUS_SLOW_CONSUMER_CHANNELS", "=conflate")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'=conflate'");
        assertThatThrownBy(() -> fromEnv(Map.of("ARQONBUS_SLOW_CONSUMER_CHANNELS", "ticks:*")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ticks:*'");
    }

    @Test
    void theBacklogBoundIsChecked() {
        assertThatThrownBy(() -> fromEnv(Map.of("ARQONBUS_SLOW_CONSUMER_BACKLOG", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("slow-consumer backlog: 0");
    }
}
