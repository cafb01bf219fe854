package io.arqonbus.server.internal.omega;

import io.arqonbus.server.config.OmegaSettings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.Publication;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Tier-Omega lab: a registry of substrates (named experimental signal sources) and a bounded
 * ring of the events they emitted. Emitting an event also publishes a {@code telemetry} envelope
 * {@code {payload:{omega_event:{…}}}} to the lab room and channel, sender {@code op-omega}, as a
 * real publication (stored in history with an offset, delivered to the channel's members).
 * Thread-safe: state is guarded by this object's monitor, held briefly and never while blocking.
 */
public final class OmegaLab {
    /** The sender of the lab's broadcasts. */
    public static final String SENDER = "op-omega";
    /** Prefix of substrate ids ({@code substrate_<12 hex>}). */
    public static final String SUBSTRATE_PREFIX = "substrate_";
    /** Prefix of event ids ({@code evt_<12 hex>}). */
    public static final String EVENT_PREFIX = "evt_";

    private final OmegaSettings settings;
    private final Hub hub;
    private final IdGenerator ids;
    private final Clock clock;
    private final Instant startedAt;
    private final Map<String, ObjectNode> substrates = new LinkedHashMap<>();
    private final Map<String, Long> emittedBySubstrate = new LinkedHashMap<>();
    private final ArrayDeque<ObjectNode> events = new ArrayDeque<>();
    private long eventsTotal;
    private long eventsDropped;

    public OmegaLab(OmegaSettings settings, Hub hub, IdGenerator ids, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hub = hub;
        this.ids = ids;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public OmegaSettings settings() {
        return settings;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** The data of {@code op.omega.status}. */
    public synchronized ObjectNode status() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("enabled", settings.enabled());
        out.put("lab_room", settings.labRoom());
        out.put("lab_channel", settings.labChannel());
        out.put("max_events", settings.maxEvents());
        out.put("max_substrates", settings.maxSubstrates());
        out.put("substrate_count", substrates.size());
        out.put("event_count", events.size());
        ObjectNode runtime = out.putObject("runtime");
        runtime.put("backend", "memory");
        runtime.put("started_at", Timestamps.format(startedAt));
        runtime.put("events_emitted_total", eventsTotal);
        runtime.put("events_dropped_total", eventsDropped);
        return out;
    }

    /**
     * Registers a substrate.
     *
     * @throws OmegaException {@code CONFLICT} when the lab holds as many substrates as allowed or one
     *                        with this name
     */
    public synchronized ObjectNode register(String name, String kind, ObjectNode metadata, String createdBy)
            throws OmegaException {
        if (substrates.size() >= settings.maxSubstrates()) {
            throw new OmegaException(OmegaException.Reason.CONFLICT, "The omega lab holds " + substrates.size()
                    + " substrates, the most it allows (ARQONBUS_OMEGA_MAX_SUBSTRATES); unregister one first");
        }
        for (ObjectNode existing : substrates.values()) {
            if (existing.path("name").asText().equals(name)) {
                throw new OmegaException(OmegaException.Reason.CONFLICT, "A substrate named '" + name
                        + "' is registered already (" + existing.path("substrate_id").asText() + ")");
            }
        }
        String id = newId(SUBSTRATE_PREFIX, substrates);
        ObjectNode substrate = JsonNodeFactory.instance.objectNode();
        substrate.put("substrate_id", id);
        substrate.put("name", name);
        substrate.put("kind", kind);
        substrate.set("metadata", metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy());
        substrate.put("created_at", Timestamps.format(clock.instant()));
        substrate.put("created_by", createdBy);
        substrates.put(id, substrate);
        emittedBySubstrate.put(id, 0L);
        return view(substrate);
    }

    /** The substrates, in registration order, of this {@code kind} (every kind when {@code null}). */
    public synchronized List<ObjectNode> substrates(String kind) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode substrate : substrates.values()) {
            if (kind == null || kind.equals(substrate.path("kind").asText())) {
                out.add(view(substrate));
            }
        }
        return out;
    }

    /**
     * Unregisters a substrate; the events it emitted stay in the ring.
     *
     * @throws OmegaException {@code NOT_FOUND} when there is no such substrate
     */
    public synchronized ObjectNode unregister(String substrateId) throws OmegaException {
        ObjectNode removed = substrates.remove(substrateId);
        if (removed == null) {
            throw notFound(substrateId);
        }
        ObjectNode out = view(removed);
        emittedBySubstrate.remove(substrateId);
        return out;
    }

    /**
     * Records an event of a substrate and broadcasts it to the lab channel.
     *
     * @return the event, with the broadcast's {@code offset}
     * @throws OmegaException {@code NOT_FOUND} when there is no such substrate
     */
    public synchronized ObjectNode emit(String substrateId, String signal, ObjectNode payload, String emittedBy)
            throws OmegaException {
        ObjectNode substrate = substrates.get(substrateId);
        if (substrate == null) {
            throw notFound(substrateId);
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_id", ids.nextToken(EVENT_PREFIX, 12));
        event.put("substrate_id", substrateId);
        event.put("substrate_name", substrate.path("name").asText());
        event.put("kind", substrate.path("kind").asText());
        event.put("signal", signal);
        event.set("payload", payload == null ? JsonNodeFactory.instance.objectNode() : payload.deepCopy());
        event.put("emitted_by", emittedBy);
        event.put("created_at", Timestamps.now(clock));
        if (events.size() >= settings.maxEvents()) {
            events.pollFirst();
            eventsDropped++;
        }
        events.addLast(event);
        eventsTotal++;
        emittedBySubstrate.merge(substrateId, 1L, Long::sum);

        ObjectNode broadcast = JsonNodeFactory.instance.objectNode();
        broadcast.set("omega_event", event.deepCopy());
        Envelope envelope = Envelope.builder(ids.nextId(), Timestamps.now(clock), MessageType.TELEMETRY)
                .room(settings.labRoom())
                .channel(settings.labChannel())
                .sender(SENDER)
                .payload(broadcast)
                .build();
        Publication publication = hub.publish(null, envelope);
        ObjectNode out = event.deepCopy();
        if (publication.delivered().position() != null) {
            out.put("offset", publication.delivered().position().offset());
        }
        return out;
    }

    /**
     * The events held, oldest first: the last {@code limit} of those matching the filters (a
     * {@code null} filter matches every event).
     */
    public synchronized List<ObjectNode> events(String substrateId, String signal, int limit) {
        ArrayDeque<ObjectNode> picked = new ArrayDeque<>();
        Iterator<ObjectNode> newestFirst = events.descendingIterator();
        while (newestFirst.hasNext() && picked.size() < limit) {
            ObjectNode event = newestFirst.next();
            if ((substrateId == null || substrateId.equals(event.path("substrate_id").asText()))
                    && (signal == null || signal.equals(event.path("signal").asText()))) {
                picked.addFirst(event.deepCopy());
            }
        }
        return new ArrayList<>(picked);
    }

    /** Events held now. */
    public synchronized int eventCount() {
        return events.size();
    }

    /** Drops every event held; returns how many. */
    public synchronized int clearEvents() {
        int cleared = events.size();
        events.clear();
        return cleared;
    }

    private ObjectNode view(ObjectNode substrate) {
        ObjectNode out = substrate.deepCopy();
        out.put("event_count", emittedBySubstrate.getOrDefault(substrate.path("substrate_id").asText(), 0L));
        return out;
    }

    private String newId(String prefix, Map<String, ?> taken) {
        for (int attempt = 0; attempt < 16; attempt++) {
            String id = ids.nextToken(prefix, 12);
            if (!taken.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free " + prefix + " id after 16 attempts");
    }

    private static OmegaException notFound(String substrateId) {
        return new OmegaException(OmegaException.Reason.NOT_FOUND, "Substrate '" + substrateId + "' not found");
    }
}
