package io.arqonbus.server.internal.auth;

import com.nimbusds.jose.JWSHeader;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the keys that verify tokens come from: a fixed key (secret, PEM file) or a JWKS URL.
 * Only the token's {@code kid} picks a key; keys a token carries itself ({@code jwk},
 * {@code jku}, {@code x5u}, {@code x5c}) are never trusted.
 */
interface KeySource extends AutoCloseable {

    /**
     * The keys that may have signed a token with this header (the algorithm was already checked).
     * Complete at once when the keys are cached; later when a fetch must run first. No key is an
     * empty list; the future fails only when the keys could not be fetched.
     */
    CompletableFuture<List<VerificationKey>> keysFor(JWSHeader header);

    /**
     * The key set in use now, compared by identity: a different object once the keys changed (a
     * JWKS document fetched again), so that {@link VerifiedTokens} checks its tokens afresh. A
     * source whose keys never change keeps the default: itself.
     */
    default Object generation() {
        return this;
    }

    @Override
    default void close() {
    }

    /** A source with one fixed key. */
    static KeySource fixed(VerificationKey key) {
        List<VerificationKey> keys = List.of(key);
        CompletableFuture<List<VerificationKey>> answer = CompletableFuture.completedFuture(keys);
        return new KeySource() {
            @Override
            public CompletableFuture<List<VerificationKey>> keysFor(JWSHeader header) {
                return answer;
            }

            @Override
            public Object generation() {
                return keys;
            }
        };
    }
}
