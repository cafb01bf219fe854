package io.arqonbus.server.internal.http;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.events.RecentEvents;
import java.util.function.IntSupplier;

/** {@code GET /events/recent} and {@code GET /events/stats}, behind the bearer-token check. */
public final class EventsRoutes {
    private EventsRoutes() {
    }

    /** Adds both routes to {@code router}. */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, HttpAuth auth, BusView view,
            RecentEvents recent, EnvelopeCodec codec, IntSupplier inProcessSubscribers) {
        return router
                .get("/events/recent", auth.require(new RecentEventsEndpoint(recent, codec)))
                .get("/events/stats", auth.require(new EventStatsEndpoint(view, recent, inProcessSubscribers)));
    }
}
