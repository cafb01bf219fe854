package io.arqonbus.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server process's CPU time (utime + stime from {@code /proc/<pid>/stat}, in clock ticks
 * converted with {@code getconf CLK_TCK}) and resident memory ({@code VmRSS} from
 * {@code /proc/<pid>/status}). Without a pid every sample is empty. Given several pids (the
 * nodes of a cluster and their redis-server), a sample is the sum over all of them, and unknown
 * when any one of them cannot be read.
 */
public final class ServerProbe {
    /** One reading; {@code cpuNanos} and {@code rssBytes} are -1 when unknown. */
    public record Sample(long cpuNanos, long rssBytes) {
        static final Sample NONE = new Sample(-1, -1);

        public boolean known() {
            return cpuNanos >= 0;
        }
    }

    /** The {@code used NK} figure of a {@code GC.heap_info} line. */
    private static final java.util.regex.Pattern USED_KIB = java.util.regex.Pattern.compile("used (\\d+)K");

    private final long pid;
    private final List<Long> pids;
    private final long ticksPerSecond;

    private ServerProbe(List<Long> pids, long ticksPerSecond) {
        this.pids = List.copyOf(pids);
        this.pid = pids.isEmpty() ? -1 : pids.get(0);
        this.ticksPerSecond = ticksPerSecond;
    }

    /** A probe of {@code pid}, or one that knows nothing when {@code pid} is null. */
    public static ServerProbe of(Long pid) {
        return ofAll(pid == null ? List.of() : List.of(pid));
    }

    /**
     * A probe of every process in {@code pids} (summed), or one that knows nothing when the list
     * is empty; a pid twice is counted once.
     */
    public static ServerProbe ofAll(List<Long> pids) {
        List<Long> distinct = pids.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return new ServerProbe(List.of(), 100);
        }
        for (long pid : distinct) {
            if (!Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"))) {
                throw new IllegalArgumentException("no readable /proc/" + pid + "/stat: is the server pid right?");
            }
        }
        return new ServerProbe(distinct, clockTicks());
    }

    /** The (first) pid, or null. */
    public Long pid() {
        return pid < 0 ? null : pid;
    }

    /** Every pid the samples sum over (empty without any). */
    public List<Long> pids() {
        return pids;
    }

    /** The current CPU time and RSS of the server (of all its processes together). */
    public Sample sample() {
        if (pids.isEmpty()) {
            return Sample.NONE;
        }
        try {
            long cpu = 0;
            long rss = 0;
            for (long each : pids) {
                cpu += cpuNanos(each);
                rss += rssBytes(each);
            }
            return new Sample(cpu, rss);
        } catch (IOException | RuntimeException e) {
            return Sample.NONE;
        }
    }

    private long cpuNanos(long of) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(of), "stat"), StandardCharsets.US_ASCII);
        return parseCpuTicks(stat) * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line; the name may hold spaces and ')'. */
    static long parseCpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssBytes(long of) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(of), "status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
            }
        }
        return -1;
    }

    /**
     * The server's live heap: asks the server JVM for a full collection and then for its heap
     * usage, with the {@code jcmd} next to the server's own {@code java}. Returns -1 when that is
     * not possible (no pid, not a JVM, jcmd missing or slow).
     */
    public long liveHeapBytes() {
        if (pid < 0) {
            return -1;
        }
        try {
            Path jcmd = jcmdOf(pid);
            if (jcmd == null || run(jcmd, "GC.run") == null) {
                return -1;
            }
            String info = run(jcmd, "GC.heap_info");
            return info == null ? -1 : parseHeapUsed(info);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The number of open file descriptors of the server ({@code /proc/<pid>/fd}), or -1 when unknown. */
    public long openFiles() {
        if (pid < 0) {
            return -1;
        }
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * What {@code jcmd <pid> <command>} printed (e.g. {@code GC.class_histogram}), or {@code null}
     * when it could not be run (no pid, not a JVM, jcmd missing or slower than 60 s).
     */
    public String jcmd(String command) {
        if (pid < 0) {
            return null;
        }
        try {
            Path jcmd = jcmdOf(pid);
            return jcmd == null ? null : output(Duration.ofSeconds(60), jcmd.toString(), Long.toString(pid), command);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Path jcmdOf(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(handle -> handle.info().command())
                .map(command -> Path.of(command).resolveSibling("jcmd"))
                .filter(Files::isExecutable)
                .orElse(null);
    }

    private String run(Path jcmd, String what) throws IOException, InterruptedException {
        return output(Duration.ofSeconds(30), jcmd.toString(), Long.toString(pid), what);
    }

    /**
     * What a command printed (stdout and stderr), or {@code null} when it failed or did not finish
     * within {@code timeout}. The output goes to a temporary file, so a silent or chatty command
     * can neither outlast the timeout nor block on a full pipe.
     */
    private static String output(Duration timeout, String... command) throws IOException, InterruptedException {
        Path file = Files.createTempFile("arqonbus-probe", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Heap bytes in use from {@code GC.heap_info}: the {@code used NK} of every heap or generation
     * line (G1 prints one "garbage-first heap" line; serial and parallel print one per
     * generation), leaving out Metaspace and class space.
     */
    static long parseHeapUsed(String heapInfo) {
        long usedKiB = 0;
        boolean found = false;
        for (String line : heapInfo.split("\\R")) {
            String trimmed = line.trim();
            boolean heapLine = trimmed.contains(" heap ") || trimmed.contains("generation");
            if (!heapLine || trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                continue;
            }
            java.util.regex.Matcher m = USED_KIB.matcher(trimmed);
            if (m.find()) {
                usedKiB += Long.parseLong(m.group(1));
                found = true;
            }
        }
        return found ? usedKiB * 1024 : -1;
    }

    private static long clockTicks() {
        try {
            String out = output(Duration.ofSeconds(5), "getconf", "CLK_TCK");
            if (out == null) {
                return 100;
            }
            long ticks = Long.parseLong(out.trim());
            return ticks > 0 ? ticks : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
