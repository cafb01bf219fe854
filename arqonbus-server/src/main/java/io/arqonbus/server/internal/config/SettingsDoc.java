package io.arqonbus.server.internal.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings tables of {@code docs/configuration.md}, rendered from the {@link Setting}
 * declarations. The document marks each table with {@code <!-- settings:<section> -->} …
 * {@code <!-- /settings -->} ({@code flags} for the table of {@code serve}'s flags); {@link #update}
 * rewrites what lies between the marks and leaves the prose alone.
 */
public final class SettingsDoc {
    private static final Pattern BLOCK =
            Pattern.compile("(<!-- settings:([a-z_]+) -->\\n)(.*?)(<!-- /settings -->)", Pattern.DOTALL);

    private SettingsDoc() {
    }

    /** The document with every marked table rendered from the declarations. */
    public static String update(String markdown) {
        Matcher m = BLOCK.matcher(markdown);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String section = m.group(2);
            String table = section.equals("flags") ? flags() : table(Setting.Section.valueOf(section.toUpperCase(Locale.ROOT)));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + table + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One section's table: setting, variable, flag, default and doc. */
    public static String table(Setting.Section section) {
        StringBuilder out = new StringBuilder("| setting | env var | flag | default | notes |\n|---|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            if (s.section() == section) {
                row(out, s.label(), envVars(s), s.flag() == null ? "" : "`" + s.flag() + "`", s.defaultText(), s.doc());
            }
        }
        return out.toString();
    }

    /** The flags of {@code serve} and {@code check-config}. */
    public static String flags() {
        StringBuilder out = new StringBuilder("| flag | env var | default |\n|---|---|---|\n");
        for (Setting s : Setting.values()) {
            if (s.flag() != null) {
                String flag = s.booleanFlag() ? s.flag() + "[=BOOL]" : s.flag() + " " + s.paramLabel();
                row(out, "`" + flag.replace("|", "\\|") + "`", envVars(s), s.defaultText());
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String... cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(cell.isEmpty() ? " |" : " " + cell + " |");
        }
        out.append('\n');
    }

    private static String envVars(Setting s) {
        return "`" + s.envVar() + "`" + s.alias().map(alias -> " (or `" + alias + "`)").orElse("");
    }
}
