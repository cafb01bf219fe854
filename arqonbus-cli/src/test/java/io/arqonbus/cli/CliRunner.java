package io.arqonbus.cli;

import io.arqonbus.cli.common.CliEnvironment;

import io.arqonbus.cli.common.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code arqon} in-process with a given environment and captured output; {@link #start}
 * runs it on its own thread (for {@code serve} and {@code tail}).
 */
public final class CliRunner {
    private final Map<String, String> env;
    private final ManualStopSignal stopSignal = new ManualStopSignal();

    public CliRunner(Map<String, String> env) {
        this.env = env;
    }

    public CliRunner() {
        this(Map.of());
    }

    /** The stop signal {@code serve} listens to. */
    public ManualStopSignal stopSignal() {
        return stopSignal;
    }

    /** Runs to completion. */
    public Result run(String... args) {
        return start(args).join();
    }

    /** Runs on a new thread; {@link Running#output()} can be read while it runs. */
    public Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                exit.complete(Main.run(new CliEnvironment(env, stopSignal), new PrintWriter(out, true),
                        new PrintWriter(err, true), args));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "arqon-cli-test");
        thread.setDaemon(true);
        thread.start();
        return new Running(out, err, exit);
    }

    /** A command running on its own thread. */
    public record Running(StringWriter out, StringWriter err, CompletableFuture<Integer> exit) {
        public String output() {
            return out.toString();
        }

        public String errors() {
            return err.toString();
        }

        public Result join() {
            int code = exit.join();
            return new Result(code, out.toString(), err.toString());
        }
    }

    /** Exit code and captured output of one run. */
    public record Result(int exitCode, String out, String err) {
    }

    /** A stop signal fired by the test. */
    public static final class ManualStopSignal implements StopSignal {
        private final CompletableFuture<Runnable> registered = new CompletableFuture<>();

        @Override
        public Registration register(Runnable onStop, Runnable onJvmExit) {
            registered.complete(onStop);
            return () -> { };
        }

        /** Asks the running {@code serve} to stop, as SIGTERM would. */
        public void fire() {
            registered.join().run();
        }
    }
}
