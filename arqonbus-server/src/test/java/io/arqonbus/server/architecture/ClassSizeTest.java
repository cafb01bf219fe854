package io.arqonbus.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Small classes: a main source file of any module over {@value #LIMIT} lines says why in its
 * Javadoc, with a sentence starting "Over 400 lines".
 */
class ClassSizeTest {
    static final int LIMIT = 400;

    @Test
    void everyLargeMainClassSaysWhy() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> unexplained;
        try (Stream<Path> modules = Files.list(root)) {
            unexplained = modules
                    .filter(m -> m.getFileName().toString().startsWith("arqonbus-"))
                    .map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .flatMap(ClassSizeTest::javaFiles)
                    .filter(ClassSizeTest::largeWithoutReason)
                    .map(p -> root.relativize(p).toString())
                    .toList();
        }
        assertThat(unexplained).as("main classes over %d lines without an 'Over 400 lines' reason", LIMIT).isEmpty();
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean largeWithoutReason(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.size() > LIMIT && lines.stream().noneMatch(l -> l.contains("Over 400 lines"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
