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
