package io.arqonbus.server.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's files, read once from the class path at start-up (never on an event loop): the
 * module {@code arqonbus-dashboard} puts them under {@value #ROOT} with a list of their names in
 * {@value #INDEX_FILE}. Without that module on the class path there are none.
 */
public final class DashboardAssets {
    /** The class-path folder of the dashboard's files. */
    public static final String ROOT = "arqonbus-dashboard/";
    /** The list of the files' names, one a line, written by the dashboard's build. */
    public static final String INDEX_FILE = ROOT + "files.txt";

    private final Map<String, Asset> files;

    /** One file: its bytes and content type. */
    public record Asset(byte[] body, String contentType) {
    }

    private DashboardAssets(Map<String, Asset> files) {
        this.files = Map.copyOf(files);
    }

    /** The assets found by {@code loader}: none when the dashboard is not on its class path. */
    public static DashboardAssets load(ClassLoader loader) {
        byte[] list = read(loader, INDEX_FILE);
        Map<String, Asset> files = new LinkedHashMap<>();
        if (list != null) {
            for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
                String name = line.trim();
                if (name.isEmpty() || name.contains("..")) {
                    continue;
                }
                byte[] body = read(loader, ROOT + name);
                if (body != null) {
                    files.put(name, new Asset(body, contentType(name)));
                }
            }
        }
        return new DashboardAssets(files);
    }

    /** Whether the dashboard is present. */
    public boolean present() {
        return files.containsKey("index.html");
    }

    /** The file named {@code name} (relative to the dashboard's root). */
    public Optional<Asset> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + resource, e);
        }
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        return switch (dot < 0 ? "" : name.substring(dot + 1)) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "map", "json" -> HttpAnswer.JSON;
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            default -> "application/octet-stream";
        };
    }
}
