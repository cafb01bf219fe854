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

    @Test
    void readsG1HeapUsageAndLeavesOutMetaspace() {
        String info = """
                12345:
                 garbage-first heap   total reserved 8388608K, committed 266240K, used 13483K [0x0000000600000000, 0x0000000800000000)
                  region size 4096K, 3 young (12288K), 0 survivors (0K)
                 Metaspace       used 9876K, committed 10240K, reserved 1114112K
                  class space    used 1024K, committed 1152K, reserved 1048576K
                """;

        assertThat(ServerProbe.parseHeapUsed(info)).isEqualTo(13483L * 1024);
    }

    @Test
    void addsUpTheGenerationsOfASerialHeap() {
        String info = """
                 def new generation   total 9792K, used 1000K [0x00000000e0000000, 0x00000000e0aa0000)
                 tenured generation   total 21888K, used 2000K [0x00000000eaaa0000, 0x00000000ec000000)
                 Metaspace       used 500K, committed 640K, reserved 1056768K
                """;

        assertThat(ServerProbe.parseHeapUsed(info)).isEqualTo(3000L * 1024);
        assertThat(ServerProbe.parseHeapUsed("no heap here")).isEqualTo(-1);
    }

    @Test
    void measuresTheLiveHeapOfARunningJvm() {
        long heap = ServerProbe.of(ProcessHandle.current().pid()).liveHeapBytes();

        assertThat(heap).isPositive();
    }
}
