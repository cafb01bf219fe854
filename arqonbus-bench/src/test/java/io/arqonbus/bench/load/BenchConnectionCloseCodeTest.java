package io.arqonbus.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A connection the server closes keeps the server's close code and reason, so a run can say why it lost one. */
@Timeout(60)
class BenchConnectionCloseCodeTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxMessageSize(1024));

    @Test
    void aFrameOverTheServersLimitIsRecordedAsADropWithCode1009() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.bus().busAddress().getPort() + "/");
        try (LoadClient client = new LoadClient(1, uri, Dialect.ARQONBUS, List.of(), new StatsBoard(1))) {
            BenchConnection connection = client.connect(0, BenchConnection.Role.PUBLISHER, null);
            connection.ready().get(10, TimeUnit.SECONDS);
            assertThat(connection.closeCode()).as("nothing closed yet").isEqualTo(1006);

            connection.channel().writeAndFlush(new TextWebSocketFrame("{\"pad\":\"" + "x".repeat(4096) + "\"}"));
            connection.closed().get(10, TimeUnit.SECONDS);

            assertThat(connection.dropped()).isTrue();
            assertThat(connection.closeCode()).isEqualTo(1009);
            assertThat(connection.closeReason()).isNotEmpty();
        }
    }

    @Test
    void aConnectionClosedOnPurposeIsNoDrop() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.bus().busAddress().getPort() + "/");
        try (LoadClient client = new LoadClient(1, uri, Dialect.ARQONBUS, List.of(), new StatsBoard(1))) {
            BenchConnection connection = client.connect(0, BenchConnection.Role.IDLE, null);
            connection.ready().get(10, TimeUnit.SECONDS);
            connection.close();
            connection.closed().get(10, TimeUnit.SECONDS);
            assertThat(connection.dropped()).isFalse();
        }
    }
}
