package io.arqonbus.server.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.config.ServerConfig;
import java.time.Clock;

/** Makes the history store the configuration asks for. */
public final class HistoryStores {
    private HistoryStores() {
    }

    /** The configured store, not yet opened. */
    public static HistoryStore create(ServerConfig config, Clock clock, EnvelopeCodec codec) {
        if (config.store().isFile()) {
            return new RocksHistoryStore(config.store().directory(), config.maxHistorySize(), config.historyMaxAge(),
                    config.storeSync(), clock, codec);
        }
        return new MemoryHistoryStore(config.maxHistorySize(), config.historyMaxAge(), clock, codec);
    }
}
