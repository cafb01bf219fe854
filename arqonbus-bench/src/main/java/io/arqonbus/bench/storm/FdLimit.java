package io.arqonbus.bench.storm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's soft limit of open files ({@code Max open files} in {@code /proc/self/limits}). */
public final class FdLimit {
    /** File descriptors kept for everything but the clients (jars, epoll, pipes, the publisher). */
    public static final int RESERVED = 256;

    private FdLimit() {
    }

    /** The soft limit, or -1 when unknown or unlimited. */
    public static long soft() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return -1;
        }
    }

    static long parse(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                try {
                    return Long.parseLong(fields[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * How many clients to run: {@code asked} when given (refused with a sentence past the limit),
     * else {@code preferred} or as many as the limit allows.
     */
    public static int clients(Integer asked, int preferred, long limit) {
        long room = limit < 0 ? Long.MAX_VALUE : limit - RESERVED;
        if (asked != null) {
            if (asked > room) {
                throw new IllegalArgumentException("--clients " + asked + " needs more open files than this process may "
                        + "have (ulimit -n is " + limit + "; raise it, or ask for at most " + Math.max(0, room) + ")");
            }
            return asked;
        }
        return (int) Math.max(1, Math.min(preferred, room));
    }
}
