package io.arqonbus.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.cli.crash.ServerProcess;
import io.arqonbus.server.testing.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that stops answering: a WebSocket client in a process of its own ({@code StuckPeer.java},
 * run by the JDK's source launcher) joins a channel next to two healthy readers and is stopped with
 * SIGSTOP. The server's keepalive (interval 1 s, timeout 1 s) must close it within interval +
 * timeout (plus scheduling slack), after which presence no longer lists it; the healthy readers,
 * quiet themselves and so pinged too, keep every publication before and after. After SIGCONT the
 * peer sees its connection closed.
 *
 * <p>Prints one {@code event=fault_test kind=stopped_peer …} line with the measured detection time.
 */
@Timeout(90)
class StoppedPeerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(1);
    /** interval + timeout, plus slack for a busy two-core machine. */
    private static final Duration DETECTION_BOUND = INTERVAL.plus(KEEPALIVE_TIMEOUT).plusSeconds(5);
    private static final Duration T = Duration.ofSeconds(20);
    private static final String ROOM = "faults";
    private static final String CHANNEL = "stuck";
    private static final FaultChannel ON = new FaultChannel(ROOM, CHANNEL, T);
    private static final int BATCH = 100;
    private static final Pattern JOINED = Pattern.compile("joined (\\S+)");

    @TempDir
    Path dir;

    @Test
    void aStoppedPeerIsClosedByKeepaliveAndItsNeighboursKeepReceiving() throws Exception {
        Map<String, String> env = Map.of(
                "ARQONBUS_KEEPALIVE_INTERVAL_SECONDS", Long.toString(INTERVAL.toSeconds()),
                "ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS", Long.toString(KEEPALIVE_TIMEOUT.toSeconds()));
        try (ServerProcess server = ServerProcess.start(env, List.of(), dir.resolve("server.log"));
                TestClient first = TestClient.connect(server.uri()).get(10, TimeUnit.SECONDS);
                TestClient second = TestClient.connect(server.uri()).get(10, TimeUnit.SECONDS);
                TestClient publisher = TestClient.connect(server.uri()).get(10, TimeUnit.SECONDS)) {
            FaultChannel.assertSuccess(first.joinChannel(ROOM, CHANNEL).get(10, TimeUnit.SECONDS));
            FaultChannel.assertSuccess(second.joinChannel(ROOM, CHANNEL).get(10, TimeUnit.SECONDS));
            Path peerOut = dir.resolve("peer.out");
            Process peer = startPeer(server, peerOut);
            try {
                String peerId = awaitJoined(peer, peerOut);
                assertThat(ON.present(publisher)).contains(peerId, first.clientId(), second.clientId());

                signal(peer, "STOP");
                long stoppedAt = System.nanoTime();
                ON.publish(publisher, 0, BATCH);
                await().atMost(DETECTION_BOUND).pollInterval(Duration.ofMillis(50))
                        .until(() -> !ON.present(publisher).contains(peerId));
                long detectedMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
                assertThat(ON.present(publisher)).containsExactlyInAnyOrder(first.clientId(), second.clientId());
                assertThat(ON.count(publisher)).isEqualTo(2);
                ON.publish(publisher, BATCH, 2 * BATCH);

                assertThat(ON.received(first, 2 * BATCH)).isEqualTo(FaultChannel.sequence(2 * BATCH));
                assertThat(ON.received(second, 2 * BATCH)).isEqualTo(FaultChannel.sequence(2 * BATCH));
                assertThat(first.isClosed()).isFalse();
                assertThat(second.isClosed()).isFalse();

                signal(peer, "CONT");
                assertThat(peer.waitFor(T.toSeconds(), TimeUnit.SECONDS)).as("the peer ended after SIGCONT").isTrue();
                String out = Files.readString(peerOut, StandardCharsets.UTF_8);
                assertThat(out).as("the peer saw its connection end").containsPattern("(?m)^(closed|error) ");
                System.out.println("event=fault_test kind=stopped_peer keepalive_interval_s=" + INTERVAL.toSeconds()
                        + " keepalive_timeout_s=" + KEEPALIVE_TIMEOUT.toSeconds() + " detected_ms=" + detectedMillis
                        + " neighbours_received=" + 2 * BATCH + " peer_saw=" + out.lines()
                                .filter(line -> line.startsWith("closed") || line.startsWith("error")).findFirst()
                                .orElse(""));
            } finally {
                signal(peer, "CONT");
                peer.destroyForcibly();
                peer.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startPeer(ServerProcess server, Path out) throws Exception {
        Path source = Path.of(StoppedPeerTest.class.getResource("/faults/StuckPeer.java").toURI());
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                source.toString(), server.uri().toString(), ROOM, CHANNEL)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
    }

    private static String awaitJoined(Process peer, Path out) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Matcher matcher = JOINED.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (matcher.find()) {
                id[0] = matcher.group(1);
                return true;
            }
            assertThat(peer.isAlive()).as("the peer process: %s", Files.readString(out)).isTrue();
            return false;
        });
        return id[0];
    }

    /** Sends SIGSTOP or SIGCONT with the system's {@code kill}. */
    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }







}
