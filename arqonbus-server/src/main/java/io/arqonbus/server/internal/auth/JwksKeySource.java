package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JWSHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a JWKS document, fetched with the JDK's asynchronous {@link HttpClient} (never on
 * an event loop), cached, refreshed periodically, and fetched again when a token names a
 * {@code kid} the cache lacks — at most once per minimum refetch interval, so a flood of
 * tokens with made-up {@code kid}s costs one request, not one each. A failed fetch keeps the
 * keys already cached. Only keys that fit the configured algorithm are used: the right key type
 * (and curve), {@code use} absent or {@code sig}, {@code alg} absent or equal.
 */
final class JwksKeySource implements KeySource {
    private static final Logger log = LoggerFactory.getLogger(JwksKeySource.class);
    /** How long one fetch may take. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** The largest JWKS document read: {@value} bytes. */
    static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    private final URI url;
    private final String algorithm;
    private final long minRefetchNanos;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private volatile JwksDocument cached = JwksDocument.EMPTY;
    private CompletableFuture<JwksDocument> inFlight;
    private long lastFetchNanos;
    private boolean fetchedOnce;
    private boolean closed;

    JwksKeySource(URI url, String algorithm, Duration refreshInterval, Duration minRefetchInterval) {
        this.url = url;
        this.algorithm = algorithm;
        this.minRefetchNanos = minRefetchInterval.toNanos();
        this.http = HttpClient.newBuilder()
                .connectTimeout(FETCH_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "arqonbus-jwks");
            t.setDaemon(true);
            return t;
        });
        fetch();
        long every = refreshInterval.toMillis();
        timer.scheduleWithFixedDelay(this::fetch, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<List<VerificationKey>> keysFor(JWSHeader header) {
        String kid = header.getKeyID();
        List<VerificationKey> found = cached.keysFor(kid);
        if (!found.isEmpty()) {
            return CompletableFuture.completedFuture(found);
        }
        CompletableFuture<JwksDocument> pending;
        synchronized (lock) {
            pending = inFlight;
            if (pending == null && mayRefetch()) {
                log.atDebug()
                        .addKeyValue("event", "jwks_refetch")
                        .addKeyValue("kid", kid)
                        .addKeyValue("msg", "A token names a key the cache lacks")
                        .log("jwks_refetch");
                pending = startFetch();
            }
        }
        if (pending == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return pending.thenApply(document -> document.keysFor(kid));
    }

    /** The document in use: every fetch makes a new one, changed or not. */
    @Override
    public Object generation() {
        return cached;
    }

    private boolean mayRefetch() {
        return !closed && (!fetchedOnce || System.nanoTime() - lastFetchNanos >= minRefetchNanos);
    }

    /** A periodic (or first) fetch; joins one that is already running. */
    private void fetch() {
        synchronized (lock) {
            if (inFlight == null && !closed) {
                startFetch();
            }
        }
    }

    /** Starts a fetch; call holding the lock. */
    private CompletableFuture<JwksDocument> startFetch() {
        fetchedOnce = true;
        lastFetchNanos = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        CompletableFuture<JwksDocument> fetch;
        try {
            fetch = http.sendAsync(request, BoundedBody.handler(MAX_DOCUMENT_BYTES))
                    .thenApply(this::parse);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<JwksDocument> done = fetch.whenComplete((document, error) -> {
            synchronized (lock) {
                inFlight = null;
            }
            if (error == null) {
                cached = document;
                log.atDebug()
                        .addKeyValue("event", "jwks_fetched")
                        .addKeyValue("url", url)
                        .addKeyValue("keys", document.entries().size())
                        .log("jwks_fetched");
            } else {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                log.atWarn()
                        .addKeyValue("event", "jwks_fetch_failed")
                        .addKeyValue("url", url)
                        .addKeyValue("keys_kept", cached.entries().size())
                        .addKeyValue("msg", String.valueOf(cause.getMessage()).replace('"', '\''))
                        .log("jwks_fetch_failed");
            }
        });
        // A fetch that failed at once already ran the callback above (the lock is reentrant).
        inFlight = done.isDone() ? null : done;
        return done;
    }

    private JwksDocument parse(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + url);
        }
        return JwksDocument.parse(response.body(), algorithm);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        timer.shutdownNow();
        http.shutdownNow();
    }
}
