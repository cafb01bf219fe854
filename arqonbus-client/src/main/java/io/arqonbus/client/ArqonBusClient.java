package io.arqonbus.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The ArqonBus Java SDK: one logical connection to a bus that reconnects by itself (exponential
 * backoff, full jitter, a ceiling; the close-code table of {@link CloseCodeTable}), rejoins its
 * subscriptions and recovers what they missed by position, retries unacknowledged durable
 * publications with their idempotency keys, and refreshes its token before it expires.
 *
 * <pre>{@code
 * try (ArqonBusClient client = ArqonBusClient.builder(URI.create("ws://127.0.0.1:9100/"))
 *         .token(() -> tokens.current())
 *         .reconnect(ReconnectPolicy.exponential(Duration.ofMillis(200), Duration.ofSeconds(20)))
 *         .build()) {
 *     client.connect().join();
 *     client.subscribe("science", "explore", message -> System.out.println(message.payload()));
 *     DurableAck ack = client.publish("science", "explore", payload, PublishOptions.durable()).join();
 * }
 * }</pre>
 *
 * <p>Nothing grows without bound: the outbox, the pending commands and publications and each
 * subscription's buffer have limits, and a call past one fails at once with
 * {@link ArqonBusException#OUTBOX_FULL}. Safe for use from several threads. See docs/sdk-java.md.
 */
public final class ArqonBusClient implements AutoCloseable {
    private final ClientSettings settings;
    private final EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), Clock.systemUTC());
    private final IdGenerator ids = new IdGenerator();
    private final PendingCommands commands;
    private final PendingPublications publications;
    private final Outbox outbox;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Reconnector reconnector;
    /** The client ids of this client's recent connections (a recovery may replay what they published). */
    private final OwnIds ownIds = new OwnIds(32);

    ArqonBusClient(ClientSettings settings) {
        this.settings = settings;
        this.commands = new PendingCommands(settings.maxPendingCommands());
        this.publications = new PendingPublications(settings.maxPendingPublications());
        this.outbox = new Outbox(settings.outboxCapacity());
        this.reconnector = new Reconnector(settings, codec, new Events());
    }

    /** A builder for a client of the bus at {@code uri} ({@code ws://} or {@code wss://}). */
    public static ArqonBusClientBuilder builder(URI uri) {
        return new ArqonBusClientBuilder(uri);
    }

    /**
     * Starts connecting (once; later calls return the same future). The future completes at the
     * first {@link ClientState#CONNECTED}, and fails only when the client stops before that
     * (a close code that says stop, the reconnect policy giving up, {@link #close()}).
     */
    public CompletableFuture<Void> connect() {
        return reconnector.start();
    }

    /** The current state. */
    public ClientState state() {
        return reconnector.state();
    }

    /** The client id the server gave the current (or last) connection, or {@code null} before the first welcome. */
    public String clientId() {
        return reconnector.clientId();
    }

    /** Subscribes with the default options. */
    public Subscription subscribe(String room, String channel, SubscriptionListener listener) {
        return subscribe(room, channel, SubscriptionOptions.defaults(), listener);
    }

    /**
     * Joins {@code room:channel} now (or at the next connect) and on every reconnect, recovering
     * by position. One subscription per channel and client.
     *
     * @throws IllegalStateException when this client already subscribes to the channel or is closed
     */
    public Subscription subscribe(String room, String channel, SubscriptionOptions options,
            SubscriptionListener listener) {
        Subscription subscription = new Subscription(this, room, channel, options, listener);
        if (state() == ClientState.CLOSED) {
            throw new IllegalStateException("the client is closed");
        }
        if (subscriptions.putIfAbsent(subscription.key(), subscription) != null) {
            throw new IllegalStateException("already subscribed to " + subscription.key());
        }
        if (reconnector.isReady()) {
            join(subscription);
        }
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        if (subscriptions.remove(subscription.key(), subscription) && subscription.markUnsubscribed()
                && reconnector.isReady()) {
            ObjectNode args = channelArgs(subscription.room(), subscription.channel());
            command("leave_channel", args).exceptionally(e -> null);
        }
    }

    /** Publishes without an acknowledgement: the future completes once the frame is written. */
    public CompletableFuture<Void> publish(String room, String channel, ObjectNode payload) {
        Envelope message = publication(room, channel, payload, null, null);
        return sendOrQueue(codec.encodeToString(message));
    }

    /**
     * Publishes durably: the future completes with the server's {@code ack} (stored offset and
     * epoch, {@code duplicate}) once the store confirmed the append. Until then the publication is
     * sent again after every reconnect with the same id and idempotency key (generated unless the
     * options give one). Fails with the server's code ({@code STORAGE_UNAVAILABLE}, …) when
     * refused, {@link ArqonBusException#OUTBOX_FULL} past {@link ArqonBusClientBuilder#maxPendingPublications},
     * and {@link ArqonBusException#CLOSED} when the client stops first.
     */
    public CompletableFuture<DurableAck> publish(String room, String channel, ObjectNode payload,
            PublishOptions options) {
        if (!options.durableAck()) {
            Envelope message = publication(room, channel, payload, null, options.idempotencyKey());
            return sendOrQueue(codec.encodeToString(message)).thenApply(v -> null);
        }
        String key = options.idempotencyKey() != null ? options.idempotencyKey() : UUID.randomUUID().toString();
        Envelope message = publication(room, channel, payload, Envelope.DURABLE_ACK, key);
        CompletableFuture<DurableAck> ack = new CompletableFuture<>();
        var pending = new PendingPublications.Pending(message.id(), codec.encodeToString(message), ack);
        synchronized (reconnector) {
            if (state() == ClientState.CLOSED) {
                ack.completeExceptionally(closed());
            } else if (!publications.add(pending)) {
                ack.completeExceptionally(new ArqonBusException(ArqonBusException.OUTBOX_FULL,
                        "Already " + settings.maxPendingPublications() + " durable publications wait for their ack"));
            } else if (reconnector.isReady()) {
                reconnector.send(pending.json());
            }
        }
        return ack;
    }

    /**
     * Sends a command; completes with its {@code response} envelope ({@code payload.data} holds the
     * result), or fails with the server's error code, {@link ArqonBusException#TIMEOUT} after the
     * command timeout, or {@link ArqonBusException#CONNECTION_LOST} when the connection ends
     * first. Commands made while disconnected wait in the outbox (their timeout runs).
     */
    public CompletableFuture<Envelope> command(String name, ObjectNode args) {
        Envelope frame = Envelope.builder(ids.nextId(), now(), MessageType.COMMAND).command(name).args(args).build();
        CompletableFuture<Envelope> reply = new CompletableFuture<>();
        if (!commands.add(frame.id(), reply)) {
            reply.completeExceptionally(new ArqonBusException(ArqonBusException.OUTBOX_FULL,
                    "Already " + settings.maxPendingCommands() + " commands wait for their reply"));
            return reply;
        }
        reply.orTimeout(settings.commandTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        CompletableFuture<Envelope> answered = reply.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                e instanceof java.util.concurrent.TimeoutException
                        ? new ArqonBusException(ArqonBusException.TIMEOUT, "No reply to '" + name + "' within "
                                + settings.commandTimeout().toMillis() + " ms")
                        : e));
        sendOrQueue(codec.encodeToString(frame)).whenComplete((v, e) -> {
            if (e != null) {
                reply.completeExceptionally(e);
            }
        });
        return answered;
    }

    /**
     * Sends one frame exactly as given, for tools (the CLI's {@code --send}): no validation, no
     * ack, no retry; queued in the outbox while not connected. Applications use
     * {@link #publish} and {@link #command}.
     */
    public CompletableFuture<Void> sendJson(String json) {
        return sendOrQueue(json);
    }

    /** Sends {@code refresh} with a token from the supplier now (it also runs before each expiry). */
    public CompletableFuture<Envelope> refreshToken() {
        return reconnector.refreshNow();
    }

    /** Closes with 1000: no reconnect; pending commands, publications and the outbox fail with {@link ArqonBusException#CLOSED}. */
    @Override
    public void close() {
        reconnector.close();
    }

    /** Sends now when connected, else queues; under the reconnector's monitor, so nothing slips between a connect's flush and the queue. */
    private CompletableFuture<Void> sendOrQueue(String json) {
        synchronized (reconnector) {
            if (state() == ClientState.CLOSED) {
                return CompletableFuture.failedFuture(closed());
            }
            if (reconnector.isReady()) {
                return reconnector.send(json);
            }
            CompletableFuture<Void> sent = new CompletableFuture<>();
            if (!outbox.add(new Outbox.Item(json, sent))) {
                sent.completeExceptionally(new ArqonBusException(ArqonBusException.OUTBOX_FULL, "The outbox holds "
                        + settings.outboxCapacity() + " frames while the client is not connected; try again later"));
            }
            return sent;
        }
    }

    private void join(Subscription subscription) {
        ObjectNode args = channelArgs(subscription.room(), subscription.channel());
        StreamPosition from = subscription.recoverFrom();
        if (from != null) {
            args.putObject("recover").put("offset", from.offset()).put("epoch", from.epoch());
        }
        command("join_channel", args).whenComplete((reply, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (cause instanceof ArqonBusException refused && refused.isServerRefusal()) {
                    subscriptions.remove(subscription.key(), subscription);
                    subscription.refused(refused);
                }
                return; // a lost connection: the next connect rejoins
            }
            var data = reply.payload().path("data");
            StreamPosition position = new StreamPosition(data.path("offset").asLong(), data.path("epoch").asText());
            subscription.joined(position, from != null, data.path("recovered").asBoolean(false),
                    data.path("missed").asLong(0));
        });
    }

    private Envelope publication(String room, String channel, ObjectNode payload, String ack, String key) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        if (key != null) {
            metadata.put(Envelope.IDEMPOTENCY_KEY, key);
        }
        return Envelope.builder(ids.nextId(), now(), MessageType.MESSAGE).room(room).channel(channel)
                .payload(payload).metadata(metadata).ack(ack).build();
    }

    private static ObjectNode channelArgs(String room, String channel) {
        return JsonNodeFactory.instance.objectNode().put("room", room).put("channel", channel);
    }

    private static String now() {
        return io.arqonbus.protocol.Timestamps.now(Clock.systemUTC());
    }

    private static ArqonBusException closed() {
        return new ArqonBusException(ArqonBusException.CLOSED, "The client is closed");
    }

    void listenerFailed(Throwable error) {
        settings.errorHandler().accept(error);
    }

    /** What the connection keeper tells this client. */
    private final class Events implements Reconnector.Events {
        @Override
        public void connected() {
            ownIds.add(reconnector.clientId());
            subscriptions.values().forEach(ArqonBusClient.this::join);
            publications.all().forEach(p -> reconnector.send(p.json()));
            for (Outbox.Item item : outbox.drain()) {
                reconnector.send(item.json()).whenComplete((v, e) -> {
                    if (e != null) {
                        item.sent().completeExceptionally(e);
                    } else {
                        item.sent().complete(null);
                    }
                });
            }
        }

        @Override
        public void frame(Envelope frame, String json) {
            if (settings.frameListener() != null) {
                settings.frameListener().onFrame(frame, json);
            }
            switch (frame.type()) {
                case RESPONSE -> commands.answer(frame);
                case ACK -> publications.acknowledge(frame);
                case ERROR -> publications.refuse(frame);
                case MESSAGE, EVENT, TELEMETRY -> {
                    if (frame.hasChannel()) {
                        Subscription subscription = subscriptions.get(frame.room() + ":" + frame.channel());
                        if (subscription != null) {
                            subscription.deliver(frame, ownIds.contains(frame.sender()));
                        }
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public void disconnected() {
            commands.failAll(new ArqonBusException(ArqonBusException.CONNECTION_LOST,
                    "The connection ended before the reply arrived"));
            subscriptions.values().forEach(Subscription::markSubscribing);
        }

        @Override
        public void stopped(ArqonBusException why) {
            commands.failAll(why);
            publications.failAll(why);
            outbox.failAll(why);
            subscriptions.values().forEach(Subscription::markUnsubscribed);
            subscriptions.clear();
        }

        @Override
        public CompletableFuture<Envelope> command(String name, ObjectNode args) {
            return ArqonBusClient.this.command(name, args);
        }
    }
}
