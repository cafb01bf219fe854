package io.arqonbus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a JWT's {@code exp} claim (without verifying it: the server does that) to know when to
 * send {@code refresh}. A token that is not a JWT, or has no {@code exp}, is never refreshed.
 */
final class TokenExpiry {
    private TokenExpiry() {
    }

    static Optional<Instant> of(String token, ObjectMapper mapper) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode exp = claims == null ? null : claims.get("exp");
            return exp != null && exp.canConvertToLong() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
