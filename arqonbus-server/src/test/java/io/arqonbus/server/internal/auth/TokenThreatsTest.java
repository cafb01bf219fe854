package io.arqonbus.server.internal.auth;

import static io.arqonbus.server.internal.auth.AuthAssertions.INVALID;
import static io.arqonbus.server.internal.auth.AuthAssertions.MISSING;
import static io.arqonbus.server.internal.auth.AuthAssertions.accepted;
import static io.arqonbus.server.internal.auth.AuthAssertions.exact401;
import static io.arqonbus.server.internal.auth.AuthAssertions.refused;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.RawClients;
import io.arqonbus.server.testing.RawHttp;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every forged, broken or out-of-date token an HS256 server must refuse at the handshake, each
 * with the exact 401 of protocol §2; and the good token next to each, accepted.
 */
class TokenThreatsTest {
    static final String SECRET = "threats-test-secret-of-at-least-32-bytes!";

    @RegisterExtension
    @Order(1)
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true).jwtSecret(SECRET));
    @RegisterExtension
    @Order(2)
    static final RawClients raw = new RawClients(server);

    private static String good(JWTClaimsSet claims) {
        return Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims);
    }

    @Test
    void theGoodTokenIsAccepted() throws Exception {
        accepted(raw, good(Tokens.claims("alice").build()));
    }

    @Test
    void noTokenAnywhereIsMissing() throws Exception {
        exact401(RawHttp.exchange(server.bus().busAddress(), RawHttp.upgrade("/", "")), MISSING);
        exact401(RawHttp.exchange(server.bus().busAddress(),
                RawHttp.upgrade("/?token=", "Authorization: Bearer \r\n")), MISSING);
        exact401(RawHttp.exchange(server.bus().busAddress(),
                RawHttp.upgrade("/", "Authorization: Basic YWxpY2U6c2VjcmV0\r\n")), MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9.not-base64!.sig",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0", "eyJhbGciOiJIUzI1NiJ9.W10.c2ln"})
    void malformedTokensAreInvalid(String token) throws Exception {
        refused(server, token, INVALID);
    }

    @Test
    void algNoneIsRefusedInEveryForm() throws Exception {
        String claims = Tokens.b64("{\"sub\":\"eve\",\"role\":\"admin\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}");
        String goodSignature = good(Tokens.claims("eve").build()).split("\\.")[2];
        for (String alg : new String[] {"none", "None", "NONE", "nOnE"}) {
            String header = Tokens.b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
            refused(server, header + "." + claims + ".", INVALID);
            refused(server, header + "." + claims + "." + goodSignature, INVALID);
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretIsInvalid() throws Exception {
        refused(server, Tokens.hmac(JWSAlgorithm.HS256, "another-secret-that-is-also-32-bytes-or-more",
                Tokens.claims("eve").claim("role", "admin").build()), INVALID);
    }

    @Test
    void anotherHmacAlgorithmWithTheRightSecretIsInvalid() throws Exception {
        // The configured algorithm is HS256; the same secret under HS384/HS512 is not accepted.
        refused(server, Tokens.hmac(JWSAlgorithm.HS384, SECRET, Tokens.claims("eve").build()), INVALID);
        refused(server, Tokens.hmac(JWSAlgorithm.HS512, SECRET, Tokens.claims("eve").build()), INVALID);
    }

    @Test
    void expiredTokensAreInvalidBeyondTheSkew() throws Exception {
        Instant now = Instant.now();
        refused(server, good(Tokens.claims("eve").expirationTime(Date.from(now.minusSeconds(3600))).build()), INVALID);
        refused(server, good(Tokens.claims("eve").expirationTime(Date.from(now.minusSeconds(31))).build()), INVALID);
        // Within the default 30 s skew a just-expired token still passes.
        accepted(raw, good(Tokens.claims("bob").expirationTime(Date.from(now.minusSeconds(5))).build()));
    }

    @Test
    void notYetValidTokensAreInvalid() throws Exception {
        Instant now = Instant.now();
        refused(server, good(Tokens.claims("eve").notBeforeTime(Date.from(now.plusSeconds(3600))).build()), INVALID);
        refused(server, good(Tokens.claims("eve").issueTime(Date.from(now.plusSeconds(3600))).build()), INVALID);
        accepted(raw, good(Tokens.claims("bob").notBeforeTime(Date.from(now.minusSeconds(1))).build()));
    }

    @Test
    void aTamperedPayloadIsInvalid() throws Exception {
        String token = good(Tokens.claims("eve").claim("role", "user").build());
        long exp = Instant.now().getEpochSecond() + 300;
        refused(server, Tokens.withPayload(token, "{\"sub\":\"eve\",\"role\":\"admin\",\"exp\":" + exp + "}"), INVALID);
        refused(server, Tokens.withPayload(token, "{\"sub\":\"root\",\"exp\":" + exp + "}"), INVALID);
        String[] parts = token.split("\\.");
        refused(server, parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2) + "AA", INVALID);
        refused(server, parts[0] + "." + parts[1] + ".", INVALID);
    }

    @Test
    void claimsOfTheWrongTypeAreInvalid() throws Exception {
        JWSHeader header = new JWSHeader(JWSAlgorithm.HS256);
        String body = "{\"sub\":\"eve\",\"exp\":\"tomorrow\"}";
        String signingInput = header.toBase64URL() + "." + Tokens.b64(body);
        String sig = com.nimbusds.jose.util.Base64URL.encode(Tokens.mac(JWSAlgorithm.HS256,
                SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).toString();
        refused(server, signingInput + "." + sig, INVALID);
        refused(server, good(Tokens.claims("eve").claim("role", 7).build()), INVALID);
    }

    @Test
    void unknownCriticalHeadersAreInvalid() throws Exception {
        JWSHeader crit = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                .criticalParams(Set.of("exp-policy")).customParam("exp-policy", "ignore").build();
        refused(server, Tokens.hmac(crit, SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Tokens.claims("eve").build()), INVALID);
    }
}
