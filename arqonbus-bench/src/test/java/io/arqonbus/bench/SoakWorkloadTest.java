package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A few seconds of the soak workload against a real ArqonBus in-process: every part runs, nothing is lost. */
@Timeout(180)
class SoakWorkloadTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxHistorySize(50));

    @TempDir
    Path out;

    @Test
    void mixedTrafficOverSmallNumbersLosesNothingAndWritesTheCsvAndThePlot() throws IOException {
        BenchRun run = BenchRun.of("soak", "--port", Integer.toString(server.bus().busAddress().getPort()),
                "--connections", "120", "--fan-out-subscribers", "20", "--fan-out-rate", "20",
                "--channels", "6", "--subscribers-per-channel", "5", "--publishers", "4", "--rate", "80",
                "--durable-channels", "3", "--subscribers-per-durable-channel", "4", "--durable-rate", "30",
                "--command-clients", "20", "--command-interval", "0.2", "--sample-seconds", "1", "--heap-every", "100",
                "--warmup", "1", "--duration", "3", "--drain", "10", "--threads", "2", "--source-addresses", "2",
                "--connect-concurrency", "8",
                "--metrics-url", server.httpUri("/metrics").toString(),
                "--server-pid", Long.toString(ProcessHandle.current().pid()), "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("sent").asLong()).isPositive();
        assertThat(json.path("delivered").asLong()).isEqualTo(json.path("expected").asLong());
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("errors").asLong()).isZero();
        assertThat(json.path("dropped_by_close_code").size()).as(json.path("dropped_by_close_code").toString()).isZero();
        assertThat(json.path("durable_sent").asLong()).isPositive();
        assertThat(json.path("durable_acked").asLong()).isEqualTo(json.path("durable_sent").asLong());
        assertThat(json.path("durable_received").asLong()).isEqualTo(json.path("durable_expected_received").asLong());
        assertThat(json.path("commands_succeeded").asLong()).isPositive();
        assertThat(json.path("commands_failed").asLong()).isZero();
        assertThat(json.path("idle").asInt()).isEqualTo(120 - 20 - 30 - 12 - (1 + 4 + 3) - 20);
        assertThat(json.path("ok").asBoolean()).isTrue();

        List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
        assertThat(csv.get(0)).startsWith("minute,phase,connections,server_rss_mib,server_heap_after_gc_mib");
        assertThat(csv).hasSizeGreaterThanOrEqualTo(4);
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            assertThat(cells).hasSize(csv.get(0).split(",").length);
            assertThat(Long.parseLong(cells[2])).as("open connections in " + line).isEqualTo(120);
            assertThat(Double.parseDouble(cells[3])).as("RSS in " + line).isPositive();
            assertThat(Double.parseDouble(cells[5])).as("Netty direct memory in " + line).isNotNegative();
            assertThat(Long.parseLong(cells[7])).as("descriptors in " + line).isGreaterThan(120);
        }
        String[] last = csv.get(csv.size() - 1).split(",");
        assertThat(Double.parseDouble(last[4])).as("heap after GC at the last sample").isPositive();
        assertThat(Double.parseDouble(csv.get(1).split(",")[4])).as("no forced GC before --heap-every samples").isEqualTo(-1);
        BufferedImage png = ImageIO.read(out.resolve("soak.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1200);
        assertThat(Files.readString(out.resolve("histogram-end.txt"))).contains("Total");
    }
}
