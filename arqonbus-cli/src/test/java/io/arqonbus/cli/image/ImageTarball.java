package io.arqonbus.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image saved as a {@code docker save} tarball (what {@code jib:buildTar} writes): its manifest,
 * its config, and its root file system, made by applying the layers in order as a container engine
 * does, whiteouts included ({@code .wh.NAME} deletes {@code NAME} of the layers below,
 * {@code .wh..wh..opq} empties its directory of them).
 */
public final class ImageTarball {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Path unpacked;
    private final JsonNode manifest;

    private ImageTarball(Path unpacked, JsonNode manifest) {
        this.unpacked = unpacked;
        this.manifest = manifest;
    }

    /** Unpacks the tarball (its manifest, config and layer blobs, not the layers) into {@code dir}. */
    public static ImageTarball open(Path tarball, Path into) throws IOException {
        Path dir = into.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isFile()) {
                    Path target = inside(dir, entry.getName());
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new ImageTarball(dir, JSON.readTree(dir.resolve("manifest.json").toFile()).get(0));
    }

    /** The first (only) entry of {@code manifest.json}: {@code Config}, {@code RepoTags}, {@code Layers}. */
    public JsonNode manifest() {
        return manifest;
    }

    /** The image config's {@code config} object: {@code User}, {@code Env}, {@code Entrypoint}, {@code Cmd}… */
    public JsonNode config() throws IOException {
        return JSON.readTree(unpacked.resolve(manifest.path("Config").asText()).toFile()).path("config");
    }

    /** The layer blobs, bottom first. */
    public List<Path> layers() {
        List<Path> layers = new ArrayList<>();
        manifest.path("Layers").forEach(layer -> layers.add(unpacked.resolve(layer.asText())));
        return layers;
    }

    /** Applies every layer in order to {@code root}: the image's file system, owners and modes kept. */
    public void extractTo(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        for (Path layer : layers()) {
            applyWhiteouts(layer, root);
            extract(layer, root);
        }
    }

    /** A layer's whiteouts act on the layers below it only, so they go before its own files. */
    private static void applyWhiteouts(Path layer, Path root) throws IOException {
        try (TarArchiveInputStream in = read(layer)) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path path = inside(root, entry.getName());
                String name = path.getFileName().toString();
                if (name.equals(OPAQUE)) {
                    if (Files.isDirectory(path.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                        try (Stream<Path> children = Files.list(path.getParent())) {
                            for (Path child : children.toList()) {
                                deleteRecursively(child);
                            }
                        }
                    }
                } else if (name.startsWith(WHITEOUT)) {
                    deleteRecursively(path.resolveSibling(name.substring(WHITEOUT.length())));
                }
            }
        }
    }

    private static void extract(Path layer, Path root) throws IOException {
        try (TarArchiveInputStream in = read(layer)) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path path = inside(root, entry.getName());
                if (path.equals(root) || path.getFileName().toString().startsWith(WHITEOUT)) {
                    if (path.equals(root)) {
                        own(path, entry);
                    }
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isDirectory()) {
                    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        deleteRecursively(path);
                        Files.createDirectory(path);
                    }
                } else {
                    deleteRecursively(path);
                    if (entry.isSymbolicLink()) {
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else if (entry.isLink()) {
                        Files.createLink(path, inside(root, entry.getLinkName()));
                    } else if (entry.isFile()) {
                        Files.copy(in, path);
                    } else {
                        continue; // devices and fifos: a container engine makes its own /dev
                    }
                }
                own(path, entry);
            }
        }
    }

    /** The entry's mode, and its owner when running as root (as an engine does; others keep their own). */
    private static void own(Path path, TarArchiveEntry entry) throws IOException {
        if (entry.isSymbolicLink()) {
            return;
        }
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        }
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }

    private static TarArchiveInputStream read(Path layer) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(layer));
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new TarArchiveInputStream(gzip ? new GZIPInputStream(in, 1 << 16) : in);
    }

    /** The path an entry names under {@code root}; an entry that would land outside it is refused. */
    private static Path inside(Path root, String name) throws IOException {
        Path path = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("a tar entry outside the root: " + name);
        }
        return path;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        } else {
            Files.delete(path);
        }
    }
}
