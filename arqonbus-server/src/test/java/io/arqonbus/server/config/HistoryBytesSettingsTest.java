package io.arqonbus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The history byte bounds: derived from the direct memory unless set, never below the largest message. */
class HistoryBytesSettingsTest {
    private static final long GIB = 1L << 30;

    @Test
    void theDefaultsAreAQuarterOfTheDirectMemoryAndAtMost64MiBPerChannel() {
        HistorySettings history = ServerConfig.defaults().history();
        int message = ServerConfig.defaults().limits().maxMessageSize();

        assertThat(history.totalBytes(GIB, message)).isEqualTo(GIB / 4);
        assertThat(history.streamBytes(GIB, message)).isEqualTo(32L << 20);
        assertThat(history.streamBytes(16 * GIB, message)).isEqualTo(64L << 20);
        // A tiny direct memory still keeps the largest message.
        assertThat(history.streamBytes(1 << 20, 4 << 20)).isEqualTo(4 << 20);
        assertThat(history.totalBytes(1 << 20, 4 << 20)).isEqualTo(4 << 20);
    }

    @Test
    void boundsThatAreSetWin() {
        HistorySettings history = ServerConfig.builder().maxHistoryBytes(8 << 20).maxHistoryTotalBytes(100 << 20)
                .build().history();

        assertThat(history.totalBytes(GIB, 1 << 20)).isEqualTo(100 << 20);
        assertThat(history.streamBytes(GIB, 1 << 20)).isEqualTo(8 << 20);
    }

    @Test
    void aBoundBelowTheMaxMessageSizeOrATotalBelowTheChannelBoundIsRefused() {
        assertThatThrownBy(() -> ServerConfig.builder().maxMessageSize(2 << 20).maxHistoryBytes(1 << 20).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("max history bytes: 1048576 (expected: >= max message size 2097152)");
        assertThatThrownBy(() -> ServerConfig.builder().maxHistoryBytes(8 << 20).maxHistoryTotalBytes(4 << 20).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("max history total bytes: 4194304 (expected: >= max history bytes 8388608)");
        assertThatThrownBy(() -> ServerConfig.builder().maxHistoryBytes(-1).build())
                .isInstanceOf(ConfigException.class);
    }
}
