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
import java.util.function.Function;

/**
 * The Tier-Omega lab: a registry of substrates (named experimental signal sources) and a bounded
 * ring of the events they emitted. Emitting an event also publishes a {@code telemetry} envelope
 * (its payload the wire form of the event, given by the command) to the lab room and channel,
 * sender {@code op-omega}, as a real publication (stored in history with an offset, delivered to
 * the channel's members).
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
    private final Map<String, OmegaSubstrate> substrates = new LinkedHashMap<>();
    private final Map<String, Long> emittedBySubstrate = new LinkedHashMap<>();
    private final ArrayDeque<OmegaEvent> events = new ArrayDeque<>();
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

    /** The lane's settings and counts. */
    public synchronized OmegaStatus status() {
        return new OmegaStatus(settings, substrates.size(), events.size(), startedAt, eventsTotal, eventsDropped);
    }

    /**
     * Registers a substrate.
     *
     * @throws OmegaException {@code CONFLICT} when the lab holds as many substrates as allowed or one
     *                        with this name
     */
    public synchronized OmegaSubstrate register(String name, String kind, ObjectNode metadata, String createdBy)
            throws OmegaException {
        if (substrates.size() >= settings.maxSubstrates()) {
            throw new OmegaException(OmegaException.Reason.CONFLICT, "The omega lab holds " + substrates.size()
                    + " substrates, the most it allows (ARQONBUS_OMEGA_MAX_SUBSTRATES); unregister one first");
        }
        for (OmegaSubstrate existing : substrates.values()) {
            if (existing.name().equals(name)) {
                throw new OmegaException(OmegaException.Reason.CONFLICT, "A substrate named '" + name
                        + "' is registered already (" + existing.substrateId() + ")");
            }
        }
        String id = newId(SUBSTRATE_PREFIX, substrates);
        OmegaSubstrate substrate = new OmegaSubstrate(id, name, kind,
                metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy(), clock.instant(),
                createdBy, 0);
        substrates.put(id, substrate);
        emittedBySubstrate.put(id, 0L);
        return view(substrate);
    }

    /** The substrates, in registration order, of this {@code kind} (every kind when {@code null}). */
    public synchronized List<OmegaSubstrate> substrates(String kind) {
        List<OmegaSubstrate> out = new ArrayList<>();
        for (OmegaSubstrate substrate : substrates.values()) {
            if (kind == null || kind.equals(substrate.kind())) {
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
    public synchronized OmegaSubstrate unregister(String substrateId) throws OmegaException {
        OmegaSubstrate removed = substrates.remove(substrateId);
        if (removed == null) {
            throw notFound(substrateId);
        }
        OmegaSubstrate out = view(removed);
        emittedBySubstrate.remove(substrateId);
        return out;
    }

    /**
     * Records an event of a substrate and broadcasts it to the lab channel.
     *
     * @param broadcast the payload of the broadcast for the event (its wire form, the command's)
     * @return the event, with the broadcast's offset
     * @throws OmegaException {@code NOT_FOUND} when there is no such substrate
     */
    public synchronized OmegaEmission emit(String substrateId, String signal, ObjectNode payload, String emittedBy,
            Function<OmegaEvent, ObjectNode> broadcast) throws OmegaException {
        OmegaSubstrate substrate = substrates.get(substrateId);
        if (substrate == null) {
            throw notFound(substrateId);
        }
        OmegaEvent event = new OmegaEvent(ids.nextToken(EVENT_PREFIX, 12), substrateId, substrate.name(),
                substrate.kind(), signal, payload == null ? JsonNodeFactory.instance.objectNode() : payload.deepCopy(),
                emittedBy, Instant.ofEpochMilli(clock.millis()));
        if (events.size() >= settings.maxEvents()) {
            events.pollFirst();
            eventsDropped++;
        }
        events.addLast(event);
        eventsTotal++;
        emittedBySubstrate.merge(substrateId, 1L, Long::sum);

        Envelope envelope = Envelope.builder(ids.nextId(), Timestamps.now(clock), MessageType.TELEMETRY)
                .room(settings.labRoom())
                .channel(settings.labChannel())
                .sender(SENDER)
                .payload(broadcast.apply(event.copy()))
                .build();
        Publication publication = hub.publish(null, envelope);
        var position = publication.delivered().position();
        return new OmegaEmission(event.copy(), position == null ? null : position.offset());
    }

    /**
     * The events held, oldest first: the last {@code limit} of those matching the filters (a
     * {@code null} filter matches every event).
     */
    public synchronized List<OmegaEvent> events(String substrateId, String signal, int limit) {
        ArrayDeque<OmegaEvent> picked = new ArrayDeque<>();
        Iterator<OmegaEvent> newestFirst = events.descendingIterator();
        while (newestFirst.hasNext() && picked.size() < limit) {
            OmegaEvent event = newestFirst.next();
            if ((substrateId == null || substrateId.equals(event.substrateId()))
                    && (signal == null || signal.equals(event.signal()))) {
                picked.addFirst(event.copy());
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

    private OmegaSubstrate view(OmegaSubstrate substrate) {
        return substrate.withEventCount(emittedBySubstrate.getOrDefault(substrate.substrateId(), 0L));
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
