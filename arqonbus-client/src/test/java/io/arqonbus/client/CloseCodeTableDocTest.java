package io.arqonbus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link CloseCodeTable} is the table of docs/protocol.md §12 "Writing a client", row by row and in
 * the same order (the TypeScript SDK's closecodes test reads the same table).
 */
class CloseCodeTableDocTest {
    private static final Pattern SECTION = Pattern.compile("(?m)^## (\\d+\\. )?Writing a client$");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{4}) \\| [^|]* \\| \\*\\*(reconnect|stop|new token)\\*\\*");

    @Test
    void theTableIsTheOneProtocolMdDocuments() throws Exception {
        String doc = Files.readString(protocolMd());
        Matcher section = SECTION.matcher(doc);
        assertThat(section.find()).as("protocol.md has its 'Writing a client' section").isTrue();
        Map<Integer, CloseAction> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(doc.substring(section.start()));
        while (row.find()) {
            documented.put(Integer.parseInt(row.group(1)), switch (row.group(2)) {
                case "reconnect" -> CloseAction.RECONNECT;
                case "stop" -> CloseAction.STOP;
                default -> CloseAction.RECONNECT_WITH_NEW_TOKEN;
            });
        }
        assertThat(documented).hasSizeGreaterThanOrEqualTo(13);
        assertThat(CloseCodeTable.rows()).containsExactlyEntriesOf(documented);
        documented.forEach((code, action) -> assertThat(CloseCodeTable.actionFor(code)).as("%d", code).isEqualTo(action));
        assertThat(CloseCodeTable.actionFor(4999)).as("unknown codes reconnect").isEqualTo(CloseAction.RECONNECT);
    }

    private static Path protocolMd() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("protocol.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/protocol.md not found above " + Path.of("").toAbsolutePath());
    }
}
