package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.internal.auth.AuthAssertions.INVALID;
import static io.arqonbus.server.internal.auth.AuthAssertions.accepted;
import static io.arqonbus.server.internal.auth.AuthAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.jwk.Curve;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawWebSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens made by a second, independent JWT library (Auth0 java-jwt; the server verifies with
 * Nimbus and the JDK) pass for HS256, RS256 and ES256, and their claims become the principal.
 */
class InteropTest {
    static final String SECRET = "interop-secret-that-is-at-least-32-bytes-long";
    static final KeyPair RSA = Tokens.rsa();
    static final KeyPair EC = Tokens.ec(Curve.P_256);
    static final Path DIR = tempDir();

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension hs = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET));
    @RegisterExtension
    @Order(2)
    static final ArqonBusExtension rs = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("RS256")
            .jwtPublicKeyFile(Tokens.pemFile(DIR, "rsa.pem", RSA.getPublic()).toString()));
    @RegisterExtension
    @Order(3)
    static final ArqonBusExtension es = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("ES256")
            .jwtPublicKeyFile(Tokens.pemFile(DIR, "ec.pem", EC.getPublic()).toString()));
    @RegisterExtension
    @Order(4)
    static final RawClients hsClients = new RawClients(hs);
    @RegisterExtension
    @Order(5)
    static final RawClients rsClients = new RawClients(rs);
    @RegisterExtension
    @Order(6)
    static final RawClients esClients = new RawClients(es);

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("arqonbus-interop");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JWTCreator.Builder token(String sub) {
        Instant now = Instant.now();
        return JWT.create().withSubject(sub).withClaim("role", "Admin").withClaim("tenant_id", "acme")
                .withIssuedAt(now).withNotBefore(now.minusSeconds(1)).withExpiresAt(now.plusSeconds(300));
    }

    private static void assertPrincipal(ArqonBusExtension server, RawWebSocket ws, String sub) throws Exception {
        ws.send("{\"id\":\"arq_i1\",\"type\":\"command\",\"command\":\"ping\"}");
        String clientId = ws.await(io.arqonbus.server.testing.Frames.responseTo("arq_i1"), ArqonBusExtension.TIMEOUT)
                .path("payload").path("data").path("client_id").asText();
        Session session = server.components().sessions().find(clientId);
        assertThat(session.principal().subject()).isEqualTo(sub);
        assertThat(session.principal().tenantId()).isEqualTo("acme");
        assertThat(session.principal().isAdmin()).isTrue();
        assertThat(session.principal().expiresAt()).isAfter(Instant.now());
    }

    @Test
    void hs256FromJavaJwtIsAccepted() throws Exception {
        assertPrincipal(hs, accepted(hsClients, token("hs-user").sign(Algorithm.HMAC256(SECRET))), "hs-user");
        refused(hs, token("eve").sign(Algorithm.HMAC256("not-the-secret-but-long-enough-to-sign")), INVALID);
    }

    @Test
    void rs256FromJavaJwtIsAccepted() throws Exception {
        Algorithm alg = Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate());
        assertPrincipal(rs, accepted(rsClients, token("rs-user").withKeyId("k1").sign(alg)), "rs-user");
    }

    @Test
    void es256FromJavaJwtIsAccepted() throws Exception {
        Algorithm alg = Algorithm.ECDSA256((ECPublicKey) EC.getPublic(), (ECPrivateKey) EC.getPrivate());
        assertPrincipal(es, accepted(esClients, token("es-user").sign(alg)), "es-user");
    }
}
