package io.arqonbus.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.bench.ledger.ChannelHistory;
import io.arqonbus.cli.crash.ServerProcess;
import io.arqonbus.server.testing.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file store whose disk fills: the server process keeps its store ({@code --store file:},
 * {@code --store-sync always}) on a 256 MiB tmpfs. 200 durable publications of 1 KiB are acked;
 * then a filler file takes the disk until less than the store's reserve
 * ({@code GroupCommitter.DISK_RESERVE}, 64 MiB) is free: durable publications are refused with
 * {@code STORAGE_UNAVAILABLE} and stay refused while the disk is full; once the filler is deleted
 * they are accepted again; every acknowledged publication is in the history afterwards, and again
 * after a restart on the same disk. (The filler, not the store, takes the space: RocksDB
 * preallocates its log, so its own writes fill a disk only tens of MiB later.)
 *
 * <p>Mounting needs root ({@code mount -t tmpfs}); elsewhere the test is skipped. Prints one
 * {@code event=fault_test kind=disk_full …} line with the counts.
 */
@Timeout(120)
class DiskFullTest {
    private static final String ROOM = "faults";
    private static final String CHANNEL = "disk";
    private static final int MAX_PUBLICATIONS = 1_000;
    private static final int ACKED_FIRST = 200;
    private static final String PAD = "x".repeat(1024);
    private static final Duration T = Duration.ofSeconds(20);
    /** The server's disk reserve for its store (GroupCommitter.DISK_RESERVE). */
    private static final long RESERVE = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void durablePublishesAreRefusedWhileTheDiskIsFullAndAcceptedWhenSpaceReturns() throws Exception {
        Path disk = Files.createDirectory(dir.resolve("disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            Path filler = disk.resolve("filler");
            List<String> args = List.of("--store", "file:" + disk.resolve("data"), "--store-sync", "always",
                    "--max-history-size", "100000");
            Path log = dir.resolve("server.log");
            Set<Long> acked = new TreeSet<>();
            long seq = 0;
            int refusedWhileFull = 0;
            String refusal;
            long millis;
            try (ServerProcess server = ServerProcess.start(Map.of(), args, log);
                    TestClient client = TestClient.connect(server.uri()).get(10, TimeUnit.SECONDS)) {
              try {
                long started = System.nanoTime();
                for (int i = 0; i < ACKED_FIRST; i++) {
                    JsonNode answer = publish(client, ++seq);
                    assertThat(isAck(answer)).as("before the disk is full: %s", answer).isTrue();
                    acked.add(seq);
                }
                long free = Files.getFileStore(disk).getUsableSpace();
                assertThat(free).as("room on the tmpfs above the reserve").isGreaterThan(RESERVE + 8L * 1024 * 1024);
                fill(filler, free - RESERVE + 1024 * 1024);
                JsonNode answer = publish(client, ++seq);
                assertThat(isAck(answer)).as("the disk is full: %s", answer).isFalse();
                refusal = answer.toString();
                assertThat(answer.path("payload").path("error_code").asText(answer.path("error_code").asText()))
                        .as(refusal).isEqualTo("STORAGE_UNAVAILABLE");
                for (int i = 0; i < 3; i++) {
                    JsonNode again = publish(client, ++seq);
                    assertThat(isAck(again)).as("still full: %s", again).isFalse();
                    refusedWhileFull++;
                }

                Files.delete(filler);
                long[] next = {seq};
                JsonNode[] last = new JsonNode[1];
                await().atMost(T).pollInterval(Duration.ofMillis(100))
                        .alias("accepted again once the filler is gone")
                        .until(() -> {
                    long s = ++next[0];
                    last[0] = publish(client, s);
                    if (last[0] != null && !isAck(last[0])) {
                        System.out.println("still refused after the filler was deleted (free "
                                + Files.getFileStore(disk).getUsableSpace() + "): " + last[0]);
                    }
                    if (isAck(last[0])) {
                        acked.add(s);
                        return true;
                    }
                    return false;
                });
                seq = next[0];
                for (int i = 0; i < 100; i++) {
                    JsonNode after = publish(client, ++seq);
                    assertThat(isAck(after)).as("accepted again: %s", after).isTrue();
                    acked.add(seq);
                }
                millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(storedSeqs(client)).as("every acked publication is stored").containsAll(acked);
              } catch (Exception | AssertionError e) {
                Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(server.pid()), "Thread.print").redirectErrorStream(true).start();
                String threads = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                throw new AssertionError("server log:\n" + server.log() + "\nthreads:\n" + threads, e);
              }
            }
            try (ServerProcess server = ServerProcess.start(Map.of(), args, log);
                    TestClient client = TestClient.connect(server.uri()).get(10, TimeUnit.SECONDS)) {
                assertThat(storedSeqs(client)).as("every acked publication is stored after a restart")
                        .containsAll(acked);
            }
            System.out.println("event=fault_test kind=disk_full tmpfs=256m sent=" + seq + " acked="
                    + acked.size() + " refused_while_full=" + (refusedWhileFull + 1) + " ms=" + millis
                    + " refusal=" + refusal);
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    /** Publishes {@code seq} durably and returns its answer: an {@code ack} or an {@code error}. */
    private static JsonNode publish(TestClient client, long seq) throws TimeoutException {
        String id = "arq_disk_" + seq;
        client.sendText("{\"type\":\"message\",\"id\":\"" + id + "\",\"room\":\"" + ROOM + "\",\"channel\":\"" + CHANNEL
                + "\",\"ack\":\"durable\",\"payload\":{\"bp\":0,\"bseq\":" + seq + ",\"pad\":\"" + PAD + "\"}}");
        return client.await(frame -> ("ack".equals(frame.path("type").asText())
                        || "error".equals(frame.path("type").asText())) && id.equals(frame.path("request_id").asText()), T);
    }

    private static boolean isAck(JsonNode answer) {
        return "ack".equals(answer.path("type").asText());
    }

    private static List<Long> storedSeqs(TestClient reader) throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (ChannelHistory.Entry entry : ChannelHistory.read(query -> reader.command("history", query), ROOM,
                CHANNEL, 0, 2 * MAX_PUBLICATIONS, T)) {
            seqs.add(entry.seq());
        }
        return seqs;
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(20, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
