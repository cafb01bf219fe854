package io.arqonbus.cli.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask {@code serve} to stop gracefully (so the process exits 0 instead of the
 * JVM's 143/130); a second signal while stopping halts at once with exit code 1. A JVM shutdown
 * hook covers every other way the JVM may end.
 */
public final class OsStopSignal implements StopSignal {
    private static final Logger log = LoggerFactory.getLogger(OsStopSignal.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    @Override
    public Registration register(Runnable onStop, Runnable onJvmExit) {
        AtomicBoolean requested = new AtomicBoolean();
        List<Runnable> undo = new ArrayList<>();
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                var previous = Signal.handle(signal, s -> {
                    if (requested.compareAndSet(false, true)) {
                        log.atInfo()
                                .addKeyValue("event", "stop_requested")
                                .addKeyValue("signal", s.getName())
                                .log("stop_requested");
                        onStop.run();
                    } else {
                        log.atWarn()
                                .addKeyValue("event", "forced_exit")
                                .addKeyValue("signal", s.getName())
                                .log("forced_exit");
                        Runtime.getRuntime().halt(1);
                    }
                });
                undo.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                log.atDebug()
                        .addKeyValue("event", "signal_unavailable")
                        .addKeyValue("signal", name)
                        .addKeyValue("reason", e.getMessage())
                        .log("signal_unavailable");
            }
        }
        Thread hook = new Thread(onJvmExit, "arqonbus-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            undo.forEach(Runnable::run);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs (and finds the server stopped)
            }
        };
    }
}
