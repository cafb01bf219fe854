package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command surface: help, refusals. */
class BenchCommandTest {
    @Test
    void helpDocumentsEveryWorkload() {
        BenchRun run = BenchRun.of("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("fan-out", "many-channels", "connections", "durable", "floor", "socketio",
                "--json-out");
    }

    @Test
    void durableSpeaksOnlyArqonBus() {
        BenchRun run = BenchRun.of("durable", "--dialect", "floor", "--port", "1", "--quiet");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("durable needs --dialect arqonbus");
    }

    @Test
    void durableRefusesBadShapes() {
        assertThat(BenchRun.of("durable", "--window", "0").exit()).isEqualTo(2);
        assertThat(BenchRun.of("durable", "--publishers", "2", "--channels", "3").exit()).isEqualTo(2);
    }

    @Test
    void refusesNonLoopbackHosts() {
        BenchRun run = BenchRun.of("fan-out", "--url", "ws://192.0.2.1:9100/");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("loopback");
    }

    @Test
    void refusesBadNumbers() {
        assertThat(BenchRun.of("fan-out", "--duration", "0").exit()).isEqualTo(2);
        assertThat(BenchRun.of("fan-out", "--subscribers", "0").exit()).isEqualTo(2);
        assertThat(BenchRun.of("fan-out", "--dialect", "mqtt").exit()).isEqualTo(2);
    }

    @Test
    void setUpFailureExitsThree() {
        BenchRun run = BenchRun.of("fan-out", "--port", "1", "--subscribers", "2", "--setup-timeout", "5", "--quiet");

        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("could not connect");
    }
}
