package io.arqonbus.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProbeTest {
    @Test
    void parsesUtimeAndStimePastAProcessNameWithSpacesAndParentheses() {
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 99 0 0";

        assertThat(ServerProbe.parseCpuTicks(stat)).isEqualTo(300);
    }

    @Test
    void readsTheCurrentProcess() {
        ServerProbe probe = ServerProbe.of(ProcessHandle.current().pid());

        ServerProbe.Sample sample = probe.sample();

        assertThat(sample.known()).isTrue();
        assertThat(sample.cpuNanos()).isPositive();
        assertThat(sample.rssBytes()).isPositive();
    }

    @Test
    void knowsNothingWithoutAPid() {
        assertThat(ServerProbe.of(null).sample().known()).isFalse();
    }
}
