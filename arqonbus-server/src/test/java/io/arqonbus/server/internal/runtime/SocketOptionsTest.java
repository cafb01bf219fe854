package io.arqonbus.server.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.netty.channel.WriteBufferWaterMark;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listening socket's backlog and the connections' write-buffer water marks are settings. */
class SocketOptionsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.writeBufferLow(16 * 1024)
            .writeBufferHigh(64 * 1024).soBacklog(128));

    @Test
    void connectionsGetTheConfiguredWaterMarks() throws Exception {
        TestClient client = server.connect();
        await().atMost(ArqonBusExtension.TIMEOUT)
                .until(() -> server.components().sessions().find(client.clientId()) != null);
        Session session = server.components().sessions().find(client.clientId());
        WriteBufferWaterMark marks = session.channel().config().getWriteBufferWaterMark();
        assertThat(marks.low()).isEqualTo(16 * 1024);
        assertThat(marks.high()).isEqualTo(64 * 1024);
        assertThat(server.bus().config().listeners().soBacklog()).isEqualTo(128);
    }

    @Test
    void defaultsAreTheFormerFixedValuesAndTheEnvironmentSetsThem() {
        ServerConfig defaults = ServerConfig.defaults();
        assertThat(defaults.listeners().soBacklog()).isEqualTo(4096);
        assertThat(defaults.listeners().writeBufferLow()).isEqualTo(32 * 1024);
        assertThat(defaults.listeners().writeBufferHigh()).isEqualTo(128 * 1024);

        ServerConfig fromEnv = new EnvironmentConfig(Map.of("ARQONBUS_SO_BACKLOG", "256",
                "ARQONBUS_WRITE_BUFFER_LOW", "8192", "ARQONBUS_WRITE_BUFFER_HIGH", "65536"))
                .applyTo(ServerConfig.builder()).build();
        assertThat(fromEnv.listeners().soBacklog()).isEqualTo(256);
        assertThat(fromEnv.listeners().writeBufferLow()).isEqualTo(8192);
        assertThat(fromEnv.listeners().writeBufferHigh()).isEqualTo(65536);
    }

    @Test
    void aLowMarkAboveTheHighMarkOrNoBacklogIsRefused() {
        assertThatThrownBy(() -> ServerConfig.builder().writeBufferLow(256 * 1024).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("write buffer low water mark");
        assertThatThrownBy(() -> ServerConfig.builder().soBacklog(0).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("socket backlog");
    }
}
