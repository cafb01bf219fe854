package io.arqonbus.bench;

import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.StoreLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real ArqonBus server process for the reconnect-storm test: loopback, the given bus port, the
 * embedded file store in the given directory, JWT auth with an HS256 secret. Prints
 * {@code storm_server_ready port=<port>} and runs until killed (SIGTERM drains).
 * Arguments: {@code <port> <store directory> <jwt secret>}.
 */
public final class StormServerMain {
    private StormServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerConfig config = ServerConfig.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .telemetryPort(-1)
                .httpPort(-1)
                .ioThreads(1)
                .statsInterval(Duration.ZERO)
                .shutdownGrace(Duration.ofSeconds(1))
                .store(StoreLocation.file(Path.of(args[1])))
                .authEnabled(true)
                .jwtSecret(args[2])
                .build();
        ArqonBus bus = ArqonBus.builder().config(config).build();
        bus.start().join();
        // SIGTERM drains as `arqon serve` does: clients are closed with 1001
        Runtime.getRuntime().addShutdownHook(new Thread(() -> bus.stop().orTimeout(10, TimeUnit.SECONDS).join()));
        System.out.println("storm_server_ready port=" + bus.busAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
