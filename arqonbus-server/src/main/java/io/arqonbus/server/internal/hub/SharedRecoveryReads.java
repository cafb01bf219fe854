package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoredMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The store reads of recoveries, shared while in flight: after a restart thousands of members of a
 * channel rejoin within seconds from the same position and miss the same publications, so they ask
 * for the same read. One read per (stream, position, count) goes to the store; the members that ask
 * while it runs get its result too. Without sharing, 19,000 rejoins queue 19,000 reads on the
 * store's readers (two threads, a bounded queue): the last recoveries wait seconds behind them, and
 * past the queue's bound a read is refused and its member answered {@code recovered: false}.
 * Nothing is kept once a read completes: a later rejoin reads again and sees later writes.
 */
final class SharedRecoveryReads {
    private record Read(ChannelKey key, long afterOffset, int limit) {
    }

    private final HistoryStore history;
    private final ConcurrentMap<Read, CompletableFuture<List<StoredMessage>>> inFlight = new ConcurrentHashMap<>();

    SharedRecoveryReads(HistoryStore history) {
        this.history = history;
    }

    /**
     * The {@code limit} oldest publications of {@code key} after {@code afterOffset}, oldest first,
     * as {@link HistoryStore#read} gives them (the list is shared: read it, do not change it).
     */
    CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit) {
        Read read = new Read(key, afterOffset, limit);
        CompletableFuture<List<StoredMessage>> mine = new CompletableFuture<>();
        CompletableFuture<List<StoredMessage>> running = inFlight.putIfAbsent(read, mine);
        if (running != null) {
            // A read that started before this member asked and came back short (a publication not
            // yet readable then) is not this member's answer: it reads on its own.
            return running.copy().thenCompose(messages -> messages.size() == limit
                    ? CompletableFuture.completedFuture(messages) : start(read));
        }
        CompletableFuture<List<StoredMessage>> started = start(read);
        started.whenComplete((messages, error) -> {
            inFlight.remove(read, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(List.copyOf(messages));
            }
        });
        return mine.copy();
    }

    private CompletableFuture<List<StoredMessage>> start(Read read) {
        try {
            return history.read(read.key(), read.afterOffset(), read.limit(), false);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** How many reads are in flight now. */
    int inFlight() {
        return inFlight.size();
    }
}
