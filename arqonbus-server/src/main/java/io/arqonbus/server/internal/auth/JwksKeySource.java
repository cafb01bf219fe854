package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.arqonbus.server.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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
    /** The most keys kept from one document: {@value}. */
    static final int MAX_KEYS = 100;

    private record Entry(String kid, VerificationKey key) {
    }

    private final URI url;
    private final String algorithm;
    private final long minRefetchNanos;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private volatile List<Entry> cached = List.of();
    private CompletableFuture<List<Entry>> inFlight;
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
        List<VerificationKey> found = select(cached, kid);
        if (!found.isEmpty()) {
            return CompletableFuture.completedFuture(found);
        }
        CompletableFuture<List<Entry>> pending;
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
        return pending.thenApply(entries -> select(entries, kid));
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
    private CompletableFuture<List<Entry>> startFetch() {
        fetchedOnce = true;
        lastFetchNanos = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        CompletableFuture<List<Entry>> fetch;
        try {
            fetch = http.sendAsync(request, BoundedBody.handler(MAX_DOCUMENT_BYTES))
                    .thenApply(this::parse);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<Entry>> done = fetch.whenComplete((entries, error) -> {
            synchronized (lock) {
                inFlight = null;
            }
            if (error == null) {
                cached = entries;
                log.atDebug()
                        .addKeyValue("event", "jwks_fetched")
                        .addKeyValue("url", url)
                        .addKeyValue("keys", entries.size())
                        .log("jwks_fetched");
            } else {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                log.atWarn()
                        .addKeyValue("event", "jwks_fetch_failed")
                        .addKeyValue("url", url)
                        .addKeyValue("keys_kept", cached.size())
                        .addKeyValue("msg", String.valueOf(cause.getMessage()).replace('"', '\''))
                        .log("jwks_fetch_failed");
            }
        });
        // A fetch that failed at once already ran the callback above (the lock is reentrant).
        inFlight = done.isDone() ? null : done;
        return done;
    }

    private List<Entry> parse(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + url);
        }
        JWKSet set;
        try {
            set = JWKSet.parse(response.body());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("not a JWKS document: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            if (entries.size() == MAX_KEYS) {
                break;
            }
            VerificationKey key = usable(jwk);
            if (key != null) {
                entries.add(new Entry(jwk.getKeyID(), key));
            }
        }
        return List.copyOf(entries);
    }

    /** A verifier for this JWK when it fits the algorithm, else {@code null}. */
    private VerificationKey usable(JWK jwk) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        if (jwk.getAlgorithm() != null && !algorithm.equals(jwk.getAlgorithm().getName())) {
            return null;
        }
        try {
            if (JwtAlgorithms.isRsa(algorithm) && KeyType.RSA.equals(jwk.getKeyType())) {
                return JwtAlgorithms.publicKey(algorithm, ((RSAKey) jwk).toRSAPublicKey(), "JWK " + jwk.getKeyID());
            }
            if (JwtAlgorithms.isEc(algorithm) && KeyType.EC.equals(jwk.getKeyType())
                    && JwtAlgorithms.curve(algorithm).equals(((ECKey) jwk).getCurve())) {
                return JwtAlgorithms.publicKey(algorithm, ((ECKey) jwk).toECPublicKey(), "JWK " + jwk.getKeyID());
            }
        } catch (com.nimbusds.jose.JOSEException | ConfigException e) {
            log.atDebug()
                    .addKeyValue("event", "jwk_skipped")
                    .addKeyValue("kid", jwk.getKeyID())
                    .addKeyValue("msg", e.getMessage())
                    .log("jwk_skipped");
        }
        return null;
    }

    private static List<VerificationKey> select(List<Entry> entries, String kid) {
        List<VerificationKey> out = new ArrayList<>();
        for (Entry entry : entries) {
            if (kid == null || kid.equals(entry.kid())) {
                out.add(entry.key());
            }
        }
        return out;
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
