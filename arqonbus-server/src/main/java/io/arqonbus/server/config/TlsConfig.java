package io.arqonbus.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TLS on the server's ports from PEM files: a certificate chain and its PKCS#8 private key
 * (optionally encrypted), and which ports speak TLS.
 *
 * @param certFile    PEM certificate chain, the server's certificate first
 * @param keyFile     PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY} or {@code BEGIN ENCRYPTED
 *                    PRIVATE KEY})
 * @param keyPassword the key's password, or {@code null} for an unencrypted key
 * @param ports       the ports that speak TLS (the others stay plain)
 */
public record TlsConfig(String certFile, String keyFile, String keyPassword, Set<Port> ports) {
    /** A listening port of the server. */
    public enum Port {
        BUS, TELEMETRY, HTTP;

        /** The name used in {@code ARQONBUS_TLS_PORTS}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TlsConfig {
        ports = ports.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ports));
    }

    /** Whether the port speaks TLS. */
    public boolean covers(Port port) {
        return ports.contains(port);
    }

    /** Checks that both files are readable and at least one port is named. */
    void validate() {
        for (String file : new String[] {certFile, keyFile}) {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException("TLS file: " + file + " (expected: a readable PEM file)");
            }
        }
        if (ports.isEmpty()) {
            throw new ConfigException("TLS ports: none (expected: some of bus, telemetry, http)");
        }
    }

    /**
     * Reads a comma list such as {@code bus,http}.
     *
     * @throws ConfigException naming {@code source} for an unknown port
     */
    public static Set<Port> parsePorts(String source, String list) {
        Set<Port> out = EnumSet.noneOf(Port.class);
        for (String name : list.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            Port port = Arrays.stream(Port.values()).filter(p -> p.wireName().equals(trimmed)).findFirst()
                    .orElseThrow(() -> new ConfigException(source + ": '" + name.trim()
                            + "' (expected: a comma list of bus, telemetry, http)"));
            out.add(port);
        }
        return out;
    }

    /** The ports as a comma list. */
    public String portList() {
        return ports.stream().map(Port::wireName).sorted().collect(Collectors.joining(","));
    }
}
