package io.arqonbus.bench.floor;

import io.arqonbus.bench.net.Loopback;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench floor}: runs the floor server until the process is stopped. */
@Command(name = "floor", mixinStandardHelpOptions = true,
        description = {"Runs the floor server: the smallest Netty WebSocket broadcast server (welcome, join_channel,",
                "forward each message frame verbatim to the other members of its room:channel). Runs until stopped;",
                "prints one line 'event=floor_listening host=... port=... pid=... transport=...' on stdout.",
                "--mode path: a connection's group is its URL path (/<room>/<channel>) and frames are forwarded",
                "without being looked into (the load tool's --dialect floor-path)."})
public final class FloorCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Loopback address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "9200", description = "Port, 0 = a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--io-threads", defaultValue = "1", description = "Event loops (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--mode", defaultValue = "scan",
            description = "scan (frames name their room and channel) or path (the URL path names the group; default: ${DEFAULT-VALUE}).")
    String mode;

    @Override
    public Integer call() throws Exception {
        FloorMode floorMode;
        try {
            floorMode = FloorMode.parse(mode);
        } catch (IllegalArgumentException e) {
            System.err.println("bench floor: " + e.getMessage());
            return 2;
        }
        if (!Loopback.isLoopback(host)) {
            System.err.println("bench floor: --host must be a loopback address, got " + host);
            return 2;
        }
        if (port < 0 || port > 65535 || ioThreads < 1 || ioThreads > 256) {
            System.err.println("bench floor: --port must be 0..65535 and --io-threads 1..256");
            return 2;
        }
        FloorServer server = FloorServer.start(host, port, ioThreads, floorMode);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "floor-shutdown"));
        System.out.printf("event=floor_listening host=%s port=%d pid=%d transport=%s io_threads=%d%s%n", host,
                server.address().getPort(), ProcessHandle.current().pid(), server.transport(), ioThreads,
                floorMode == FloorMode.PATH ? " mode=path" : "");
        System.out.flush();
        server.awaitClose();
        return 0;
    }
}
