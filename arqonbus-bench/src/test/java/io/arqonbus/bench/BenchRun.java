package io.arqonbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;

/** One run of {@code bench …} in-process: exit code, stdout, stderr, and the JSON line parsed. */
record BenchRun(int exit, String out, String err) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static BenchRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new BenchRun(exit, out.toString(), err.toString());
    }

    /** A run started on another thread; its stderr can be read while it runs. */
    record Running(StringWriter out, StringWriter err, java.util.concurrent.CompletableFuture<Integer> exit) {
        /** What it printed on stderr so far. */
        String errSoFar() {
            return err.toString();
        }

        /** Waits (bounded) for the end. */
        BenchRun finish(java.time.Duration timeout) throws Exception {
            int code = exit.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return new BenchRun(code, out.toString(), err.toString());
        }
    }

    /** Starts {@code bench …} on another thread. */
    static Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args));
        return new Running(out, err, exit);
    }

    /** The single JSON line on stdout. */
    JsonNode json() {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != 1) {
            throw new AssertionError("expected one JSON line on stdout, got: " + out + "\nstderr: " + err);
        }
        try {
            return MAPPER.readTree(lines.get(0));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
