package io.arqonbus.bench;

import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.workload.BenchException;
import io.arqonbus.bench.report.RunSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import picocli.CommandLine.Model.CommandSpec;

/** Runs one workload for a subcommand: settings, the run, the JSON line on stdout, the summary on stderr, exit codes. */
final class WorkloadRunner {
    /** A workload run. */
    interface Run {
        Report run(RunSettings settings) throws BenchException, InterruptedException;
    }

    private WorkloadRunner() {
    }

    /** 0 = ok, 1 = finished with loss/duplicates/drops/failures, 2 = bad usage, 3 = could not set up. */
    static int execute(CommandSpec spec, CommonOptions options, Run run) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName(" ");
        RunSettings settings;
        try {
            settings = options.settings(err);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        Report report;
        try {
            report = run.run(settings);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (BenchException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            err.flush();
            return 3;
        }
        String line = report.line();
        out.println(line);
        out.flush();
        err.print(report.summary());
        err.flush();
        if (options.jsonOut != null) {
            try {
                Files.writeString(options.jsonOut, line + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + options.jsonOut, e);
            }
        }
        return report.ok() ? 0 : 1;
    }
}
