package io.arqonbus.bench.storm;

import io.arqonbus.bench.probe.ListeningProcess;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.RunSettings;
import java.util.Optional;

/**
 * The server's CPU over the storm: the processes of {@code --server-pid(s)} from the first
 * drop when given (a cluster's surviving nodes and Redis), else the restarted server as found
 * on the port, from when it was found.
 */
final class ServerWatch {
    final int port;
    final boolean fixed;
    ServerProbe probe;
    ServerProbe.Sample from;
    ServerProbe.Sample to;
    long pid = -1;

    ServerWatch(RunSettings settings) {
        this.port = settings.uri().getPort();
        this.fixed = !settings.probe().pids().isEmpty();
        if (fixed) {
            probe = settings.probe();
            pid = probe.pid();
            from = probe.sample();
        }
    }

    void look() {
        if (probe != null) {
            return;
        }
        Optional<Long> found = ListeningProcess.onPort(port);
        if (found.isPresent()) {
            try {
                probe = ServerProbe.of(found.get());
                pid = found.get();
                from = probe.sample();
            } catch (IllegalArgumentException gone) {
                probe = null;
            }
        }
    }

    void end() {
        if (probe != null) {
            to = probe.sample();
        }
    }
}
