package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.events.RecentEvent;
import io.arqonbus.server.internal.events.RecentEvents;
import io.arqonbus.server.internal.events.RecentEventsJson;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /events/recent?count=N}: the last N publications (default 20, at most the ring size)
 * the caller may see, newest last — the same list {@code ?welcome=recent} sends:
 * <pre>{@code {"count":2,"events":[{<envelope>},{<envelope>}]}}</pre>
 * 400 for a bad {@code count}; 404 when the server keeps no recent events. Behind {@link HttpAuth}.
 */
public final class RecentEventsEndpoint implements HttpAuth.CallerEndpoint {
    private final RecentEvents recent;
    private final EnvelopeCodec codec;

    public RecentEventsEndpoint(RecentEvents recent, EnvelopeCodec codec) {
        this.recent = recent;
        this.codec = codec;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call, HttpCaller caller) {
        if (!recent.enabled()) {
            return CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.NOT_FOUND,
                    "Recent events are off on this server (ARQONBUS_RECENT_EVENTS_SIZE=0)"));
        }
        List<String> values = call.query().get("count");
        int count;
        try {
            count = recent.count("count", values == null || values.isEmpty() ? null : values.get(0));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(HttpAnswer.error(HttpResponseStatus.BAD_REQUEST,
                    e.getMessage()));
        }
        List<RecentEvent> events = recent.latest(count,
                event -> event.visibleTo(caller.principal(), caller.grants()));
        ObjectNode body = HttpAnswer.object();
        RecentEventsJson.Bounded bounded = RecentEventsJson.envelopes(events, codec);
        body.put("count", bounded.envelopes().size());
        if (bounded.truncated()) {
            body.put("truncated", true);
        }
        body.set("events", bounded.envelopes());
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }
}
