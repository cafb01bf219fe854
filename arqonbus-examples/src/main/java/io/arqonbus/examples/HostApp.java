package io.arqonbus.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.subscribe.Subscription;
import io.arqonbus.server.subscribe.SubscriptionFilter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host application that embeds ArqonBus (seed 002, ArcaneEventBus): it emits an event into
 * {@code dashboard:events} every interval, and logs the commands dashboards send to
 * {@code dashboard:commands}, which it receives in process through {@link ArqonBus#subscribe}.
 *
 * <p>Run its {@code main} (from an IDE, or after {@code ./mvnw install -DskipTests} with
 * {@code ./mvnw -q -pl arqonbus-examples exec:java -Dexec.mainClass=io.arqonbus.examples.HostApp}) and
 * open a dashboard on {@code ws://127.0.0.1:9100/?welcome=recent}: its first frames are the
 * welcome and the recent events, then one {@code event} per second after it joins
 * {@code dashboard:events}. Arguments: {@code [busPort [httpPort [intervalMillis]]]} (defaults
 * 9100, 8080, 1000). Stop with Ctrl-C.
 */
public final class HostApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostApp.class);
    /** The room of the dashboard. */
    public static final String ROOM = "dashboard";
    /** Where the host's events go. */
    public static final String EVENTS = "events";
    /** Where dashboards send commands to the host. */
    public static final String COMMANDS = "commands";
    private static final List<String> SPELLS = List.of("summon", "invoke", "reveal", "parse", "banish");

    private final ArqonBus bus;
    private final Subscription commands;
    private final ScheduledExecutorService ticker;
    private final AtomicLong sequence = new AtomicLong();

    private HostApp(ArqonBus bus, Duration interval, Consumer<Envelope> onCommand) {
        this.bus = bus;
        this.commands = bus.subscribe(new SubscriptionFilter(ROOM, COMMANDS, null, Set.of()), command -> {
            log.info("event=command_received client={} payload={}", command.sender(), command.payload());
            onCommand.accept(command);
        });
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "host-app-ticker");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::emitOne, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts an embedded bus built by {@code builder}, then the ticker and the command subscription.
     *
     * @param onCommand also called (off the event loops) with every command a client sends
     */
    public static HostApp start(ArqonBus.Builder builder, Duration interval, Consumer<Envelope> onCommand) {
        Objects.requireNonNull(onCommand, "onCommand");
        if (!interval.isPositive()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        ArqonBus bus = builder.build().start().join();
        try {
            return new HostApp(bus, interval, onCommand);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    /** One event, shaped like ArcaneEventBus's: a spell name, a description, a sequence number. */
    private void emitOne() {
        try {
            long n = sequence.incrementAndGet();
            String spell = SPELLS.get((int) ((n - 1) % SPELLS.size()));
            ObjectNode payload = JsonNodeFactory.instance.objectNode();
            payload.put("spell_name", spell);
            payload.put("daemon_name", "claude");
            payload.put("success", true);
            payload.put("sequence", n);
            payload.put("description", "The host cast " + spell + " #" + n);
            bus.emit(ROOM, EVENTS, payload);
        } catch (IllegalStateException stopping) {
            // The bus is stopping: the ticker is being cancelled too.
        }
    }

    /** The embedded bus. */
    public ArqonBus bus() {
        return bus;
    }

    /** Events emitted so far. */
    public long emitted() {
        return sequence.get();
    }

    /** Stops the ticker, the subscription and the bus. */
    @Override
    public void close() {
        ticker.shutdownNow();
        commands.close();
        bus.close();
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9100;
        int httpPort = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        Duration interval = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1000);
        CountDownLatch stopped = new CountDownLatch(1);
        HostApp app = start(ArqonBus.builder().port(port).httpPort(httpPort).telemetryPort(-1), interval,
                command -> { });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "host-app-shutdown"));
        log.info("event=host_app_started bus=ws://{}:{}/ http=http://{}:{}/ interval_ms={}",
                app.bus().busAddress().getHostString(), app.bus().busAddress().getPort(),
                app.bus().httpAddress().getHostString(), app.bus().httpAddress().getPort(), interval.toMillis());
        stopped.await();
    }
}
