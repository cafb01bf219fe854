package io.arqonbus.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.internal.inspect.CasilPolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The settings tables of docs/configuration.md are the declarations of {@link Setting}, rendered.
 * After changing a declaration, regenerate them with
 * {@code WRITE_DOCS=true ./mvnw -B -pl arqonbus-server test -Dtest=SettingsDocTest}.
 */
class SettingsDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void theDocsTablesAreTheDeclarations() throws Exception {
        String doc = Files.readString(DOC);
        String rendered = SettingsDoc.update(doc);
        if ("true".equals(System.getenv("WRITE_DOCS")) && !doc.equals(rendered)) {
            Files.writeString(DOC, rendered);
            doc = rendered;
        }
        assertThat(doc).as("docs/configuration.md differs from the setting declarations; regenerate it with "
                + "WRITE_DOCS=true ./mvnw -B -pl arqonbus-server test -Dtest=SettingsDocTest").isEqualTo(rendered);
        for (Setting.Section section : Setting.Section.values()) {
            assertThat(doc).as(section + " table").contains("<!-- settings:" + section.name().toLowerCase() + " -->");
        }
        assertThat(doc).contains("<!-- settings:flags -->");
    }

    @Test
    void everyDeclarationHasItsOwnVariableFileKeyAndFlag() {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (Setting s : Setting.values()) {
            assertThat(s.envVar()).startsWith("ARQONBUS_");
            assertThat(names.add(s.envVar())).as(s.envVar()).isTrue();
            assertThat(keys.add(s.key())).as(s.key()).isTrue();
            assertThat(Setting.byFileKey(s.fileKey())).contains(s);
            assertThat(Setting.envVar(s.fileKey())).isEqualTo(s.envVar());
            assertThat(s.label()).isNotBlank();
            assertThat(s.defaultText()).isNotBlank();
            if (s.flag() != null) {
                assertThat(flags.add(s.flag())).as(s.flag()).isTrue();
                assertThat(s.paramLabel()).isNotBlank();
            }
        }
    }

    @Test
    void theCasilGroupIsWhatTheCasilParserReads() {
        Set<String> declared = Arrays.stream(Setting.values()).filter(s -> s.section() == Setting.Section.CASIL)
                .map(Setting::envVar).collect(Collectors.toSet());
        assertThat(declared).isEqualTo(CasilPolicyParser.envNames());
    }
}
