package io.arqonbus.bench.load;

import java.util.concurrent.CompletableFuture;

/** A publisher running on its connection's event loop, as the workloads see it. */
public interface PublishDriver {
    /** Its index (the {@code bp} of its messages). */
    int index();

    /** Messages written so far; after {@link #done()} also the last sequence number. */
    long sent();

    /** Completes with the number of messages sent once publishing ended. */
    CompletableFuture<Long> done();

    /** Stops early (from any thread). */
    void stop();
}
