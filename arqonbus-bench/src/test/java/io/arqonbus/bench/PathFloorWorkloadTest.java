package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.bench.floor.FloorMode;
import io.arqonbus.bench.floor.FloorServer;
import io.arqonbus.server.testing.RawWebSocket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The floor in path mode: the URL path names the group and frames are forwarded unread. */
@Timeout(120)
class PathFloorWorkloadTest {
    private static FloorServer floor;
    private static String port;

    @BeforeAll
    static void start() throws InterruptedException {
        floor = FloorServer.start("127.0.0.1", 0, 2, FloorMode.PATH);
        port = Integer.toString(floor.address().getPort());
    }

    @AfterAll
    static void stop() {
        floor.close();
    }

    @Test
    void fanOutAgainstThePathFloorDeliversEveryMessageOnce() {
        BenchRun run = BenchRun.of("fan-out", "--dialect", "floor-path", "--port", port, "--subscribers", "10",
                "--duration", "1", "--warmup", "0.2", "--threads", "2",
                "--server-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("dialect").asText()).isEqualTo("floor-path");
        long sent = json.path("sent").asLong();
        assertThat(sent).isPositive();
        assertThat(json.path("delivered").asLong()).isEqualTo(sent * 10);
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("ok").asBoolean()).isTrue();
    }

    @Test
    void manyChannelsKeepsEachPathsFramesToItsOwnConnections() {
        BenchRun run = BenchRun.of("many-channels", "--dialect", "floor-path", "--port", port, "--channels", "4",
                "--subscribers-per-channel", "3", "--publishers", "4", "--duration", "1", "--warmup", "0",
                "--threads", "2", "--quiet");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("delivered").asLong()).isEqualTo(json.path("sent").asLong() * 3).isPositive();
        assertThat(json.path("unexpected").asLong()).isZero();
        assertThat(json.path("lost").asLong()).isZero();
    }

    @Test
    void forwardsAnyTextVerbatimToTheOtherConnectionsOfThePathOnly() throws Exception {
        URI base = URI.create("ws://127.0.0.1:" + port);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        RawWebSocket.Options options = RawWebSocket.Options.defaults();
        try (RawWebSocket a = RawWebSocket.connect(group, base.resolve("/r/one"), options);
                RawWebSocket b = RawWebSocket.connect(group, base.resolve("/r/one?x=1"), options);
                RawWebSocket other = RawWebSocket.connect(group, base.resolve("/r/two"), options)) {
            for (RawWebSocket socket : new RawWebSocket[] {a, b, other}) {
                assertThat(socket.nextText(Duration.ofSeconds(5))).contains("welcome");
            }
            String text = "not json at all {\"room\":\"x\",\"channel\":\"two\"}";
            a.send(text);

            assertThat(b.nextText(Duration.ofSeconds(5))).isEqualTo(text);
            assertThatThrownBy(() -> other.nextText(Duration.ofMillis(300))).as("another path gets nothing")
                    .isInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> a.nextText(Duration.ofMillis(100))).as("the sender gets nothing back")
                    .isInstanceOf(TimeoutException.class);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
