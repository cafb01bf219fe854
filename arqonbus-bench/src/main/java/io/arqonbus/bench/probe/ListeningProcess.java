package io.arqonbus.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The process listening on a local TCP port, found in {@code /proc}: the inodes of the listening
 * sockets on the port ({@code /proc/net/tcp} and {@code tcp6}, state {@code 0A}), then the process
 * with a file descriptor on one of them. Used to measure a server that was restarted under a new
 * pid. Only processes this user may inspect are seen.
 */
public final class ListeningProcess {
    private static final String LISTEN = "0A";

    private ListeningProcess() {
    }

    /** The pid listening on {@code port}, if one can be found. */
    public static Optional<Long> onPort(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII), port));
            } catch (IOException e) {
                // no such table (no IPv6): the other one may do
            }
        }
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (holdsOne(process.resolve("fd"), inodes)) {
                    return Optional.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The inodes of the listening sockets on {@code port} in the lines of a {@code /proc/net/tcp} table. */
    static Set<String> listeningInodes(List<String> lines, int port) {
        String wanted = String.format(Locale.ROOT, ":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].endsWith(wanted) && LISTEN.equals(fields[3]) && !"0".equals(fields[9])) {
                inodes.add(fields[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsOne(Path fds, Set<String> inodes) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path link : links) {
                try {
                    String target = Files.readSymbolicLink(link).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            return false;
        }
        return false;
    }
}
