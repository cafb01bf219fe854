package io.arqonbus.cli.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns the root file system that {@code scripts/image-base} assembles (a jlinked Java runtime at
 * {@code /opt/java/openjdk} and Debian's glibc, libgcc, libstdc++, zlib and CA certificates) into a
 * base image tarball with Jib, {@code FROM scratch}: one layer for the Debian userland, one for the
 * Java runtime, and the environment of the {@code eclipse-temurin} images ({@code JAVA_HOME},
 * {@code PATH}). The image profile of {@code arqonbus-cli/pom.xml} runs it before {@code jib:buildTar}
 * builds the real image {@code FROM tar://} this tarball; no registry is reached.
 *
 * <p>Usage: {@code BaseImageBuilder BASE_IMAGE LOCAL_BASE_TAR SCRIPT ROOTFS_LINK}: when
 * {@code BASE_IMAGE} is {@code tar://LOCAL_BASE_TAR}, runs {@code SCRIPT ROOTFS_LINK}
 * (scripts/image-base, which caches the root file system) and writes the base image to
 * {@code LOCAL_BASE_TAR}; any other base (a registry's, e.g. {@code -Djib.base=eclipse-temurin:21-jre},
 * or a saved one) is left to Jib. The tarball is cached next to the root
 * file system, so it is made once per JDK and package versions and only copied afterwards.
 *
 * <p>Jib's layers hold no symbolic links: a link is stored as a copy of its target, resolved inside the
 * root file system (an absolute link names a path in the image, never one on the build machine). Jib
 * stores permission bits without the sticky bit, so {@code /tmp} is mode 777.
 */
public final class BaseImageBuilder {
    /** Where the runtime sits in the image, as in the eclipse-temurin images. */
    static final String JAVA_HOME = "/opt/java/openjdk";
    private static final String NON_ROOT_HOME = "/home/arqonbus";
    private static final String NON_ROOT = "10001:10001";
    private static final Instant MODIFIED = Instant.ofEpochSecond(1);
    private static final String TAR = "tar://";

    private BaseImageBuilder() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: BaseImageBuilder BASE_IMAGE LOCAL_BASE_TAR SCRIPT ROOTFS_LINK");
        }
        Path output = Path.of(args[1]).toAbsolutePath();
        if (!args[0].equals(TAR + args[1])) {
            System.out.printf("image base: %s (not made here)%n", args[0]);
            return;
        }
        Path link = Path.of(args[3]).toAbsolutePath();
        runScript(Path.of(args[2]), link);
        Path rootfs = link.toRealPath();
        Path cached = rootfs.resolveSibling("base.tar");
        if (!Files.isRegularFile(cached)) {
            long started = System.nanoTime();
            Path partial = Files.createTempFile(rootfs.getParent(), "base", ".tar.partial");
            build(rootfs, partial);
            Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            System.out.printf("image base: %s built in %d ms%n", cached, (System.nanoTime() - started) / 1_000_000);
        }
        Files.createDirectories(output.getParent());
        Files.copy(cached, output, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("image base: %s (a copy of %s)%n", output, cached);
    }

    /** Runs {@code scripts/image-base LINK} with this JVM's JDK as the one to jlink the runtime from. */
    private static void runScript(Path script, Path link) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(script.toString(), link.toString()).inheritIO();
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(script + " did not finish in 10 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException(script + " failed with exit code " + process.exitValue() + " (its message is above)");
        }
    }

    static void build(Path rootfs, Path output) throws Exception {
        FileEntriesLayer.Builder userland = FileEntriesLayer.builder().setName("debian userland");
        FileEntriesLayer.Builder runtime = FileEntriesLayer.builder().setName("java runtime");
        for (Path file : walk(rootfs)) {
            String inImage = "/" + rootfs.relativize(file).toString().replace('\\', '/');
            Path source = insideRoot(rootfs, file);
            FileEntry entry = new FileEntry(source, AbsoluteUnixPath.get(inImage), permissions(source), MODIFIED,
                    inImage.startsWith(NON_ROOT_HOME) ? NON_ROOT : "0:0");
            (inImage.startsWith(JAVA_HOME) ? runtime : userland).addEntry(entry);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", JAVA_HOME);
        env.put("PATH", JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        // Jib's layer cache only serves this one build: the tarball itself is what is cached.
        Path layers = Files.createTempDirectory(rootfs.getParent(), "jib-layers");
        try {
            Jib.fromScratch()
                    .setFormat(ImageFormat.Docker)
                    .addFileEntriesLayer(userland.build())
                    .addFileEntriesLayer(runtime.build())
                    .setEnvironment(env)
                    .setCreationTime(MODIFIED)
                    .containerize(Containerizer.to(TarImage.at(output).named("arqonbus/base:local"))
                            .setApplicationLayersCache(layers)
                            .setOfflineMode(true));
        } finally {
            try (Stream<Path> files = Files.walk(layers)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Every file and directory under the root, in order, the root itself left out. */
    private static List<Path> walk(Path rootfs) throws IOException {
        try (Stream<Path> files = Files.walk(rootfs)) {
            List<Path> all = new ArrayList<>(files.filter(file -> !file.equals(rootfs)).sorted().toList());
            for (Path file : all) {
                if (Files.isSymbolicLink(file) && Files.isDirectory(insideRoot(rootfs, file))) {
                    throw new IOException("a symbolic link to a directory cannot go into a Jib layer: " + file);
                }
            }
            return all;
        }
    }

    /** The file a path names when the root file system is "/": symbolic links followed inside it. */
    static Path insideRoot(Path rootfs, Path file) throws IOException {
        Path current = file;
        for (int hops = 0; Files.isSymbolicLink(current); hops++) {
            if (hops > 40) {
                throw new IOException("too many levels of symbolic links: " + file);
            }
            Path target = Files.readSymbolicLink(current);
            current = target.isAbsolute()
                    ? rootfs.resolve(target.toString().substring(1)).normalize()
                    : current.getParent().resolve(target).normalize();
            if (!current.startsWith(rootfs)) {
                throw new IOException(file + " links outside the root file system: " + target);
            }
        }
        if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is a dangling symbolic link");
        }
        return current;
    }

    private static FilePermissions permissions(Path file) throws IOException {
        return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }
}
