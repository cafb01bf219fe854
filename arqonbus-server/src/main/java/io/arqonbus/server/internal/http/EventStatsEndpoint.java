package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.events.RecentEvents;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;

/**
 * {@code GET /events/stats}: counts about the bus as an event stream (seed 002) —
 * <pre>{@code
 * {"subscribers":3,"in_process_subscribers":1,"history_size":45,"history_capacity":100,
 *  "rooms":2,"channels":9,"messages_total":1234}
 * }</pre>
 * {@code subscribers}: connected bus WebSocket clients; {@code in_process_subscribers}: live
 * {@code ArqonBus.subscribe} subscriptions of the host application; {@code history_size} /
 * {@code history_capacity}: events held by / room in the recent-events ring; {@code messages_total}:
 * publications (channel and room) since start. Counts only, the same for every caller. Behind
 * {@link HttpAuth}.
 */
public final class EventStatsEndpoint implements HttpAuth.CallerEndpoint {
    private final BusView view;
    private final RecentEvents recent;
    private final IntSupplier inProcessSubscribers;

    public EventStatsEndpoint(BusView view, RecentEvents recent, IntSupplier inProcessSubscribers) {
        this.view = view;
        this.recent = recent;
        this.inProcessSubscribers = inProcessSubscribers;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call, HttpCaller caller) {
        ObjectNode body = HttpAnswer.object();
        body.put("subscribers", view.activeClients());
        body.put("in_process_subscribers", inProcessSubscribers.getAsInt());
        body.put("history_size", recent.size());
        body.put("history_capacity", recent.capacity());
        body.put("rooms", view.rooms());
        body.put("channels", view.channels());
        body.put("messages_total", view.publishedTotal());
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }
}
