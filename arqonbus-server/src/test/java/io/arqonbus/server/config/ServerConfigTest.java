package io.arqonbus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void toBuilderKeepsTheFrameSizeDerivedFromTheMessageSize() {
        ServerConfig bigger = ServerConfig.defaults().toBuilder().maxMessageSize(8 << 20).build();

        assertThat(bigger.limits().maxMessageSize()).isEqualTo(8 << 20);
        assertThat(bigger.limits().maxFrameSize()).isEqualTo(4 * (8 << 20));
    }

    @Test
    void toBuilderKeepsAFrameSizeThatWasSet() {
        ServerConfig set = ServerConfig.builder().maxFrameSize(2 << 20).build();

        assertThat(set.toBuilder().maxMessageSize(2048).build().limits().maxFrameSize()).isEqualTo(2 << 20);
        assertThatThrownBy(() -> set.toBuilder().maxMessageSize(4 << 20).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("max frame size: 2097152 (expected: >= max message size 4194304)");
    }

    @Test
    void toBuilderKeepsTheTelemetryAndHttpHostsDerivedFromTheBusHost() {
        ServerConfig everywhere = ServerConfig.defaults().toBuilder().host("0.0.0.0").build();

        assertThat(everywhere.listeners().host()).isEqualTo("0.0.0.0");
        assertThat(everywhere.listeners().telemetryHost()).isEqualTo("0.0.0.0");
        assertThat(everywhere.listeners().httpHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void toBuilderKeepsHostsThatWereSet() {
        ServerConfig split = ServerConfig.builder().httpHost("127.0.0.2").build().toBuilder().host("0.0.0.0").build();

        assertThat(split.listeners().telemetryHost()).isEqualTo("0.0.0.0");
        assertThat(split.listeners().httpHost()).isEqualTo("127.0.0.2");
    }

    @Test
    void toBuilderIsIndependentOfTheConfigurationAndOfOtherBuilders() {
        ServerConfig base = ServerConfig.builder().port(0).cron(c -> c.withMaxJobs(7)).build();
        ServerConfig.Builder one = base.toBuilder().port(1234);
        ServerConfig.Builder two = base.toBuilder();

        assertThat(one.build().listeners().port()).isEqualTo(1234);
        assertThat(two.build().listeners().port()).isZero();
        assertThat(base.listeners().port()).isZero();
        assertThat(two.build().cron().maxJobs()).isEqualTo(7);
    }

    @Test
    void defaultsAreTheRecordsDefaults() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.listeners().port()).isEqualTo(Listeners.DEFAULT_PORT);
        assertThat(config.listeners().ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.limits().maxFrameSize()).isEqualTo(4 * ConnectionLimits.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(config.rateLimits().perSecond()).isEqualTo(RateLimits.DEFAULT_PER_SECOND);
        assertThat(config.timeouts().closeWait()).isEqualTo(Timeouts.DEFAULT_CLOSE_WAIT);
        assertThat(config.history().maxSize()).isEqualTo(HistorySettings.DEFAULT_MAX_SIZE);
        assertThat(config.storage().store()).isEqualTo(StoreLocation.MEMORY);
        assertThat(config.auth().enabled()).isFalse();
        assertThat(config.tls()).isNull();
    }

    @Test
    void eachRecordValidatesItsSettings() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70000).build()).hasMessageContaining("port: 70000");
        assertThatThrownBy(() -> ServerConfig.builder().rateLimitBurst(0).build())
                .hasMessage("rate limit burst: 0 (expected: > 0)");
        assertThatThrownBy(() -> ServerConfig.builder().closeWait(Duration.ZERO).build())
                .hasMessage("close wait: PT0S (expected: > 0)");
        assertThatThrownBy(() -> ServerConfig.builder().recentEventsSize(10_001).build())
                .hasMessage("recent events size: 10001 (expected: 0 to 10000)");
        assertThatThrownBy(() -> ServerConfig.builder().ioThreads(-1).build())
                .hasMessage("io threads: -1 (expected: >= 0)");
    }
}
