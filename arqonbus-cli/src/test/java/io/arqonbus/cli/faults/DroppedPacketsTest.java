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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer whose packets are dropped: the server runs in a network namespace of the test's own
 * ({@link NetworkNamespace}), with keepalive interval 1 s, timeout 1 s and close wait 1 s. A
 * healthy reader and a publisher (this JVM's {@link TestClient}s, through a {@link NamespaceBridge})
 * and a peer in a process of its own inside the namespace ({@code StuckPeer.java}) join one channel;
 * then an nftables rule in the namespace drops every TCP packet from and to the peer's port. The
 * peer's process keeps running and would answer pings, but none reach it: the server's keepalive
 * must close it within interval + timeout + close wait (plus slack for a busy machine), after which
 * presence no longer lists it and the server holds no more file descriptors than before the peer
 * came; the reader receives every publication sent during the drop and after it, in order.
 *
 * <p>Needs root, {@code ip}, {@code nft} and {@code socat}; elsewhere it is skipped with the reason.
 * Prints one {@code event=fault_test kind=dropped_packets …} line with the measured detection time.
 */
@Timeout(90)
class DroppedPacketsTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);
    /** interval + timeout + close wait (the socket is dropped after it), plus slack for a busy two-core machine. */
    private static final Duration DETECTION_BOUND = INTERVAL.plus(KEEPALIVE_TIMEOUT).plus(CLOSE_WAIT).plusSeconds(5);
    private static final Duration T = Duration.ofSeconds(20);
    private static final String ROOM = "faults";
    private static final String CHANNEL = "dropped";
    private static final FaultChannel ON = new FaultChannel(ROOM, CHANNEL, T);
    private static final int BATCH = 100;
    private static final Pattern JOINED = Pattern.compile("joined (\\S+)");
    private static final Pattern LOCAL_PORT = Pattern.compile("^\\S+\\s+\\S+\\s+\\S+:(\\d+)\\s");

    @TempDir
    Path dir;

    @Test
    void aPeerWhosePacketsAreDroppedIsClosedByKeepaliveAndItsNeighbourKeepsReceiving() throws Exception {
        String unavailable = NetworkNamespace.unavailable();
        Assumptions.assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        Map<String, String> env = Map.of(
                "ARQONBUS_KEEPALIVE_INTERVAL_SECONDS", Long.toString(INTERVAL.toSeconds()),
                "ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS", Long.toString(KEEPALIVE_TIMEOUT.toSeconds()),
                "ARQONBUS_CLOSE_WAIT_SECONDS", Long.toString(CLOSE_WAIT.toSeconds()));
        try (NetworkNamespace namespace = NetworkNamespace.create();
                ServerProcess server = ServerProcess.startThrough(namespace.launcher(), env, List.of(),
                        dir.resolve("server.log"));
                NamespaceBridge bridge = NamespaceBridge.open(namespace, server.uri().getPort(), dir);
                TestClient reader = TestClient.connect(bridge.uri()).get(10, TimeUnit.SECONDS);
                TestClient publisher = TestClient.connect(bridge.uri()).get(10, TimeUnit.SECONDS)) {
            FaultChannel.assertSuccess(reader.joinChannel(ROOM, CHANNEL).get(10, TimeUnit.SECONDS));
            long descriptorsBefore = descriptors(server);
            Path peerOut = dir.resolve("peer.out");
            Process peer = startPeer(namespace, server, peerOut);
            try {
                String peerId = awaitJoined(peer, peerOut);
                assertThat(ON.present(publisher)).containsExactlyInAnyOrder(peerId, reader.clientId());
                int peerPort = localPort(namespace, server.uri().getPort(), peer.pid());
                long descriptorsWithPeer = descriptors(server);

                namespace.dropTcpPort(peerPort);
                long droppedAt = System.nanoTime();
                ON.publish(publisher, 0, BATCH);
                await().atMost(DETECTION_BOUND).pollInterval(Duration.ofMillis(50))
                        .until(() -> !ON.present(publisher).contains(peerId));
                long detectedMillis = (System.nanoTime() - droppedAt) / 1_000_000;
                assertThat(ON.present(publisher)).containsExactly(reader.clientId());
                assertThat(ON.count(publisher)).isEqualTo(1);
                await().atMost(T).pollInterval(Duration.ofMillis(50))
                        .until(() -> descriptors(server) <= descriptorsBefore);
                long descriptorsAfter = descriptors(server);
                ON.publish(publisher, BATCH, 2 * BATCH);

                assertThat(ON.received(reader, 2 * BATCH)).isEqualTo(FaultChannel.sequence(2 * BATCH));
                assertThat(reader.isClosed()).isFalse();
                assertThat(peer.isAlive()).as("the peer's process still runs: only its packets were lost").isTrue();
                System.out.println("event=fault_test kind=dropped_packets keepalive_interval_s=" + INTERVAL.toSeconds()
                        + " keepalive_timeout_s=" + KEEPALIVE_TIMEOUT.toSeconds() + " close_wait_s="
                        + CLOSE_WAIT.toSeconds() + " detected_ms=" + detectedMillis + " bound_ms="
                        + DETECTION_BOUND.toMillis() + " neighbour_received=" + 2 * BATCH + " server_fds_before="
                        + descriptorsBefore + " with_peer=" + descriptorsWithPeer + " after=" + descriptorsAfter
                        + " rule=\"tcp port " + peerPort + " drop\" namespace=" + namespace.name());
            } catch (Exception | AssertionError e) {
                throw new AssertionError("server log:\n" + server.log() + "\npeer:\n"
                        + Files.readString(peerOut, StandardCharsets.UTF_8) + "\nrules:\n" + namespace.ruleset(), e);
            } finally {
                peer.destroyForcibly();
                peer.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startPeer(NetworkNamespace namespace, ServerProcess server, Path out) throws Exception {
        Path source = Path.of(DroppedPacketsTest.class.getResource("/faults/StuckPeer.java").toURI());
        List<String> command = new ArrayList<>(namespace.launcher());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                source.toString(), server.uri().toString(), ROOM, CHANNEL));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
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

    /**
     * The peer's own port: {@code ss} in the namespace lists the established connections to the
     * server's port with their process; the peer's is the one of its pid ({@code ip netns exec}
     * execs the JVM).
     */
    private static int localPort(NetworkNamespace namespace, int serverPort, long peerPid) throws Exception {
        String sockets = namespace.exec("ss", "-Htnp", "state", "established", "dport", "=", ":" + serverPort);
        for (String line : sockets.lines().toList()) {
            Matcher matcher = LOCAL_PORT.matcher(line);
            if (line.contains("pid=" + peerPid + ",") && matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("no connection of pid " + peerPid + " to port " + serverPort + " in:\n" + sockets);
    }

    /** The server process's open file descriptors ({@code /proc/<pid>/fd}). */
    private static long descriptors(ServerProcess server) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(server.pid()), "fd"))) {
            return fds.count();
        }
    }







}
