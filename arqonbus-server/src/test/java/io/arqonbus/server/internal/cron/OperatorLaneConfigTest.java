package io.arqonbus.server.internal.cron;

import io.arqonbus.server.config.CronSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.OmegaSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ARQONBUS_CRON_*} and {@code ARQONBUS_OMEGA_*} variables. */
class OperatorLaneConfigTest {

    @Test
    void defaults() {
        ServerConfig config = ServerConfig.defaults();
        assertThat(config.cron()).isEqualTo(new CronSettings(100, 10_000, Duration.ofMillis(100), 100_000));
        assertThat(config.omega()).isEqualTo(new OmegaSettings(false, "omega-lab", "signals", 1000, 128));
    }

    @Test
    void everyVariableIsReadAndKnown() {
        EnvironmentConfig env = new EnvironmentConfig(Map.of(
                "ARQONBUS_CRON_MAX_JOBS_PER_CLIENT", "7",
                "ARQONBUS_CRON_MAX_JOBS", "70",
                "ARQONBUS_CRON_MIN_INTERVAL_SECONDS", "0.5",
                "ARQONBUS_CRON_MAX_REPEAT_COUNT", "9",
                "ARQONBUS_OMEGA_ENABLED", "true",
                "ARQONBUS_OMEGA_LAB_ROOM", "lab",
                "ARQONBUS_OMEGA_LAB_CHANNEL", "sig",
                "ARQONBUS_OMEGA_MAX_EVENTS", "5",
                "ARQONBUS_OMEGA_MAX_SUBSTRATES", "6"));
        ServerConfig config = env.applyTo(ServerConfig.builder()).build();
        assertThat(config.cron()).isEqualTo(new CronSettings(7, 70, Duration.ofMillis(500), 9));
        assertThat(config.omega()).isEqualTo(new OmegaSettings(true, "lab", "sig", 5, 6));
        assertThat(java.util.Arrays.stream(io.arqonbus.server.internal.config.Setting.values())
                .map(io.arqonbus.server.internal.config.Setting::envVar))
                .contains("ARQONBUS_CRON_MAX_JOBS", "ARQONBUS_OMEGA_MAX_SUBSTRATES",
                        "ARQONBUS_OMEGA_ENABLED", "ARQONBUS_CRON_MIN_INTERVAL_SECONDS");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_CRON_MAX_JOBS", "0"))
                .applyTo(ServerConfig.builder()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ARQONBUS_CRON_MAX_JOBS: ");
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_OMEGA_LAB_ROOM", "a:b"))
                .applyTo(ServerConfig.builder()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ARQONBUS_OMEGA_LAB_ROOM: ");
        assertThatThrownBy(() -> new EnvironmentConfig(Map.of("ARQONBUS_OMEGA_MAX_EVENTS", "lots"))
                .applyTo(ServerConfig.builder()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ARQONBUS_OMEGA_MAX_EVENTS: 'lots' (expected: a whole number)");
    }
}
