package io.arqonbus.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers applied in order as a container engine does: upper files win, whiteouts delete lower ones. */
class ImageTarballTest {
    @TempDir
    Path dir;

    @Test
    void whiteoutsDeleteWhatTheLayersBelowHeldAndOpaqueDirectoriesStartEmpty() throws Exception {
        Map<String, String> lower = new LinkedHashMap<>();
        lower.put("etc/kept", "lower");
        lower.put("etc/replaced", "lower");
        lower.put("etc/removed", "lower");
        lower.put("cache/old", "lower");
        lower.put("cache/older", "lower");
        Map<String, String> upper = new LinkedHashMap<>();
        upper.put("etc/replaced", "upper");
        upper.put("etc/.wh.removed", "");
        upper.put("cache/.wh..wh..opq", "");
        upper.put("cache/new", "upper");
        Path tarball = imageTarball(Map.of("lower.tar.gz", lower, "upper.tar", upper), "lower.tar.gz", "upper.tar");

        Path root = dir.resolve("root");
        ImageTarball.open(tarball, dir.resolve("unpacked")).extractTo(root);

        assertThat(root.resolve("etc/kept")).hasContent("lower");
        assertThat(root.resolve("etc/replaced")).hasContent("upper");
        assertThat(root.resolve("etc/removed")).doesNotExist();
        assertThat(root.resolve("etc/.wh.removed")).doesNotExist();
        assertThat(root.resolve("cache")).isDirectoryContaining(p -> p.getFileName().toString().equals("new"));
        assertThat(root.resolve("cache/old")).doesNotExist();
        assertThat(root.resolve("cache/older")).doesNotExist();
        assertThat(root.resolve("cache/.wh..wh..opq")).doesNotExist();
        assertThat(Files.getPosixFilePermissions(root.resolve("etc/kept"))).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    void anEntryThatWouldLandOutsideTheRootIsRefused() throws Exception {
        Path tarball = imageTarball(Map.of("evil.tar", Map.of("../escaped", "x")), "evil.tar");
        assertThatThrownBy(() -> ImageTarball.open(tarball, dir.resolve("unpacked")).extractTo(dir.resolve("root")))
                .isInstanceOf(IOException.class).hasMessageContaining("outside the root");
        assertThat(dir.resolve("escaped")).doesNotExist();
    }

    /** A {@code docker save} tarball: the layers (gzip when named .gz), a config and a manifest. */
    private Path imageTarball(Map<String, Map<String, String>> layers, String... order) throws IOException {
        Path tarball = dir.resolve("image.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
            StringBuilder names = new StringBuilder();
            for (String layer : order) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (OutputStream raw = layer.endsWith(".gz") ? new GZIPOutputStream(bytes) : bytes;
                        TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
                    for (Map.Entry<String, String> file : layers.get(layer).entrySet()) {
                        put(tar, file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8), 0750);
                    }
                }
                put(out, layer, bytes.toByteArray(), 0644);
                names.append(names.isEmpty() ? "" : ",").append('"').append(layer).append('"');
            }
            put(out, "config.json", "{\"config\":{\"User\":\"10001:10001\"}}".getBytes(StandardCharsets.UTF_8), 0644);
            put(out, "manifest.json", ("[{\"Config\":\"config.json\",\"RepoTags\":[\"t:1\"],\"Layers\":[" + names + "]}]")
                    .getBytes(StandardCharsets.UTF_8), 0644);
        }
        return tarball;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
