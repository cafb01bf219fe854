package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.internal.auth.AuthAssertions.INVALID;
import static io.arqonbus.server.internal.auth.AuthAssertions.accepted;
import static io.arqonbus.server.internal.auth.AuthAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RS256 and ES256 servers verifying with a PEM public key: their own tokens pass; every kind of
 * key or algorithm confusion is refused with the exact 401.
 */
class PublicKeyAuthTest {
    static final KeyPair RSA = Tokens.rsa();
    static final KeyPair OTHER_RSA = Tokens.rsa();
    static final KeyPair EC = Tokens.ec(Curve.P_256);
    static final KeyPair EC_384 = Tokens.ec(Curve.P_384);
    static final Path DIR = tempDir();
    static final Path RSA_PEM = Tokens.pemFile(DIR, "rsa.pem", RSA.getPublic());
    static final Path EC_PEM = Tokens.pemFile(DIR, "ec.pem", EC.getPublic());

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension rs = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("RS256")
            .jwtPublicKeyFile(RSA_PEM.toString()));
    @RegisterExtension
    @Order(2)
    static final ArqonBusExtension es = new ArqonBusExtension(b -> b.authEnabled(true).jwtAlgorithm("ES256")
            .jwtPublicKeyFile(EC_PEM.toString()));
    @RegisterExtension
    @Order(3)
    static final RawClients rsClients = new RawClients(rs);
    @RegisterExtension
    @Order(4)
    static final RawClients esClients = new RawClients(es);

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("arqonbus-keys");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void eachServerAcceptsTokensSignedWithItsPrivateKey() throws Exception {
        accepted(rsClients, Tokens.rs256(RSA, null, Tokens.claims("alice").build()));
        accepted(esClients, Tokens.es256(EC, null, Tokens.claims("alice").build()));
        // A kid does not matter with one configured key.
        accepted(rsClients, Tokens.rs256(RSA, "any-kid", Tokens.claims("alice").build()));
    }

    @Test
    void tokensSignedWithAnotherKeyAreInvalid() throws Exception {
        refused(rs, Tokens.rs256(OTHER_RSA, null, Tokens.claims("eve").build()), INVALID);
        refused(es, Tokens.es256(Tokens.ec(Curve.P_256), null, Tokens.claims("eve").build()), INVALID);
    }

    @Test
    void hmacSignedWithThePublicKeyIsInvalid() throws Exception {
        // The classic confusion: HS256 keyed with the server's public key, in PEM and DER form.
        for (var pair : new KeyPair[] {RSA, EC}) {
            ArqonBusExtension server = pair == RSA ? rs : es;
            byte[][] keys = {Tokens.pem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII), pair.getPublic().getEncoded()};
            for (byte[] key : keys) {
                for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.HS256, JWSAlgorithm.HS512}) {
                    refused(server, Tokens.hmac(new JWSHeader(alg), key, Tokens.claims("eve").claim("role", "admin")
                            .build()), INVALID);
                }
            }
        }
    }

    @Test
    void anotherFamilyOrHashIsInvalidEvenWithTheRightKeyType() throws Exception {
        // ES token at the RS server and the other way round.
        refused(rs, Tokens.es256(EC, null, Tokens.claims("eve").build()), INVALID);
        refused(es, Tokens.rs256(RSA, null, Tokens.claims("eve").build()), INVALID);
        // RS512 with the right RSA key is still not the configured RS256.
        refused(rs, Tokens.sign(new JWSHeader(JWSAlgorithm.RS512), Tokens.claims("eve").build(),
                new RSASSASigner(RSA.getPrivate())), INVALID);
        // ES384 on P-384 at an ES256 server.
        refused(es, Tokens.sign(new JWSHeader(JWSAlgorithm.ES384), Tokens.claims("eve").build(),
                new ECDSASigner((ECPrivateKey) EC_384.getPrivate())), INVALID);
    }

    @Test
    void aKeyEmbeddedInTheTokenIsNeverTrusted() throws Exception {
        // The attacker signs with its own key and ships the public half in the jwk header.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(new RSAKey.Builder((RSAPublicKey) OTHER_RSA.getPublic()).build())
                .jwkURL(java.net.URI.create("http://127.0.0.1:1/jwks.json"))
                .build();
        refused(rs, Tokens.sign(header, Tokens.claims("eve").claim("role", "admin").build(),
                new RSASSASigner(OTHER_RSA.getPrivate())), INVALID);
    }

    @Test
    void aRefusedHandshakeLeavesNoSession() throws Exception {
        // Sockets of earlier tests are closed after each test; the server forgets them asynchronously.
        await().atMost(ArqonBusExtension.TIMEOUT).until(() -> rs.components().sessions().size() == 0);
        refused(rs, Tokens.rs256(OTHER_RSA, null, Tokens.claims("eve").build()), INVALID);
        assertThat(rs.components().sessions().size()).isZero();
    }
}
