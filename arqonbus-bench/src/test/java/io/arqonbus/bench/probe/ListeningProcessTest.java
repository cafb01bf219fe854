package io.arqonbus.bench.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningProcessTest {
    @Test
    void picksTheListeningSocketsOfThePortFromATcpTable() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:2378 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1",
                "   1: 0100007F:2378 0100007F:D3A2 01 00000000:00000000 00:00000000 00000000     0        0 4343 1",
                "   2: 0100007F:2379 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1");

        assertThat(ListeningProcess.listeningInodes(table, 0x2378)).containsExactly("4242");
    }

    @Test
    void findsThisProcessListeningOnAPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(ListeningProcess.onPort(socket.getLocalPort())).contains(ProcessHandle.current().pid());
        }
    }
}
