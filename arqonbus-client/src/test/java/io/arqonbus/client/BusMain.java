package io.arqonbus.client;

import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A bus in a JVM of its own for {@link BusProcess} (so that a test can stop it with SIGSTOP): the
 * in-memory store, the bus port free on loopback, telemetry and HTTP off, the server's own
 * keep-alive off (so that only the client's keep-alive is at work). Prints
 * {@code ready ws://127.0.0.1:<port>/} and runs until killed.
 */
public final class BusMain {
    private BusMain() {
    }

    public static void main(String[] args) throws Exception {
        ArqonBus bus = ArqonBus.builder().config(ArqonBusExtension.testConfig(b -> b.port(0).telemetryPort(-1)
                .httpPort(-1).ioThreads(1).keepAliveInterval(Duration.ZERO).shutdownGrace(Duration.ofMillis(200))))
                .build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
        System.out.println("ready ws://127.0.0.1:" + bus.busAddress().getPort() + "/");
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
