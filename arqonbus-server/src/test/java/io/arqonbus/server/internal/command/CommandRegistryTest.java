package io.arqonbus.server.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Commands are found under their name and every alias, listed once each in registration order. */
class CommandRegistryTest {

    private static Command named(CommandSpec spec) {
        return new Command() {
            @Override
            public CommandSpec spec() {
                return spec;
            }

            @Override
            public CommandResult execute(CommandContext context) {
                return new CommandResult(spec.name(), null);
            }
        };
    }

    @Test
    void findsACommandUnderItsNameAndAliasesAndListsItOnce() {
        Command get = named(CommandSpec.of("history.get", "reads").alsoNamed("op.history.get"));
        Command reload = named(CommandSpec.of("op.casil.reload", "changes the policy").forAdmins());
        CommandRegistry registry = new CommandRegistry().register(get).register(reload);

        assertThat(registry.find("history.get")).isSameAs(get);
        assertThat(registry.find("op.history.get")).isSameAs(get);
        assertThat(registry.find("op.casil.reload")).isSameAs(reload);
        assertThat(registry.find("history")).isNull();
        assertThat(registry.all()).containsExactly(get, reload);
        assertThat(get.spec().adminOnly()).isFalse();
        assertThat(reload.spec().adminOnly()).isTrue();
        assertThat(reload.spec().aliases()).isEmpty();
    }

    @Test
    void refusesTwoCommandsUnderOneName() {
        CommandRegistry registry = new CommandRegistry()
                .register(named(CommandSpec.of("history.get", "reads").alsoNamed("op.history.get")));

        assertThatThrownBy(() -> registry.register(named(CommandSpec.of("op.history.get", "another"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("op.history.get");
    }
}
