package io.arqonbus.cli.server;

import io.arqonbus.server.internal.config.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds one flag per {@link Setting} that declares one to {@code serve} and {@code check-config},
 * with the setting's doc, variable and default as its help; the values go to the command's
 * {@link ServerOptions}, which parses them as the variables are parsed.
 */
public final class ServerFlags implements CommandLine.IModelTransformer {
    /** The name of the {@link ServerOptions} mixin field in both commands. */
    static final String MIXIN = "options";

    @Override
    public CommandSpec transform(CommandSpec spec) {
        ServerOptions options = (ServerOptions) spec.mixins().get(MIXIN).userObject();
        for (Setting setting : Setting.values()) {
            if (setting.flag() == null) {
                continue;
            }
            OptionSpec.Builder flag = OptionSpec.builder(setting.flag())
                    .paramLabel(setting.paramLabel())
                    .type(String.class)
                    .description(description(setting))
                    .setter(new ISetter() {
                        @Override
                        public <T> T set(T value) {
                            options.flag(setting, (String) value);
                            return null;
                        }
                    });
            if (setting.booleanFlag()) {
                flag.arity("0..1").fallbackValue("true");
            }
            spec.addOption(flag.build());
        }
        return spec;
    }

    private static String description(Setting setting) {
        String doc = setting.doc().isEmpty() ? setting.label() : setting.label() + ": " + setting.doc();
        return (doc + " (env " + setting.envVar() + ", default " + setting.defaultText() + ").").replace("`", "").replace("%", "%%");
    }
}
