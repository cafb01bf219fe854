package io.arqonbus.server.internal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Tokens that verified recently, by their exact text: a client that reconnects with the token it
 * used before (a dropped connection, a retry after 1013, a second tab) is accepted without
 * parsing the token or checking its signature again.
 *
 * <p>What a cached acceptance promises is what a fresh check would answer:
 * <ul>
 *   <li><b>Expiry</b>: an entry is used only while the token's {@code exp} plus the clock skew
 *       lies ahead of the server's clock, checked on every use, so a cached token is refused at
 *       the same instant a fresh check would refuse it. A token without {@code exp} is kept at
 *       most {@link #MAX_AGE}.</li>
 *   <li><b>Keys</b>: an entry remembers the key set it verified against ({@link KeySource#generation()});
 *       once the key set changes (a JWKS document fetched again, with a key removed or not), the
 *       token is checked afresh.</li>
 *   <li><b>Revocation</b>: ArqonBus has no revocation list; a signed token is valid until its
 *       {@code exp} whether cached or not, so the cache accepts nothing a fresh check would
 *       refuse. Rotate the key to invalidate tokens early.</li>
 *   <li>Only acceptances are kept: a refused token is checked again every time (no attacker can
 *       fill the cache with garbage that would then be answered from it), and a token that is
 *       not valid yet ({@code nbf}) is never cached.</li>
 * </ul>
 * At most {@link #MAX_ENTRIES} tokens are kept (Caffeine's size bound evicts the least useful);
 * an entry holds the token's text and the {@link AuthResult.Accepted} a check made of it (about
 * 1 KiB together).
 */
final class VerifiedTokens {
    /** The most tokens kept: {@value} (a 19,000-client reconnect storm fits twice). */
    static final int MAX_ENTRIES = 50_000;
    /** The longest an acceptance is kept, for tokens without {@code exp} too. */
    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final Clock clock;
    private final Duration skew;
    private final Cache<String, Entry> cache;

    /** One acceptance: the answer (already a completed future: a hit allocates nothing), the keys, until when. */
    private record Entry(CompletableFuture<AuthResult> answer, Object keys, Instant until) {
    }

    VerifiedTokens(Clock clock, Duration skew) {
        this.clock = clock;
        this.skew = skew;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<String, Entry>creating((token, entry) ->
                        Duration.between(clock.instant(), entry.until())))
                .build();
    }

    /** The acceptance of this token when it verified against these keys and has not expired; else {@code null}. */
    CompletableFuture<AuthResult> get(String token, Object keys) {
        Entry entry = cache.getIfPresent(token);
        if (entry == null) {
            return null;
        }
        if (entry.keys() != keys || !clock.instant().isBefore(entry.until())) {
            cache.asMap().remove(token, entry);
            return null;
        }
        return entry.answer();
    }

    /** Remembers that {@code token} verified against {@code keys} (read before the check began) with this result. */
    void put(String token, Object keys, AuthResult.Accepted accepted) {
        Instant now = clock.instant();
        Instant until = now.plus(MAX_AGE);
        Instant exp = accepted.principal().expiresAt();
        if (exp != null && exp.plus(skew).isBefore(until)) {
            until = exp.plus(skew);
        }
        if (now.isBefore(until)) {
            cache.put(token, new Entry(CompletableFuture.completedFuture(accepted), keys, until));
        }
    }

    /** How many tokens are kept now (approximately; for tests and gauges). */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
