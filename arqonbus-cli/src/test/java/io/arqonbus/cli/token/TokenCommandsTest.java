package io.arqonbus.cli.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.arqonbus.cli.CliRunner;
import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.internal.auth.PemKeys;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code arqon gen-token} and {@code arqon check-token}: round trips, refusals, exit codes, and a real server. */
class TokenCommandsTest {
    static final String SECRET = "cli-token-test-secret-of-at-least-32-bytes";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair RSA = generate("RSA", null);
    private static final KeyPair EC = generate("EC", "secp256r1");

    @TempDir
    static Path dir;
    private static Path rsaPrivate;
    private static Path rsaPublic;
    private static Path ecPrivate;
    private static Path ecPublic;
    private static HttpServer jwks;
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.telemetryPort(-1).httpPort(-1).ioThreads(1)
            .authEnabled(true).jwtSecret(SECRET));

    private static KeyPair generate(String algorithm, String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve == null) {
                generator.initialize(2048);
            } else {
                generator.initialize(new ECGenParameterSpec(curve));
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        rsaPrivate = write("rsa-private.pem", PemKeys.pem("PRIVATE KEY", RSA.getPrivate().getEncoded()));
        rsaPublic = write("rsa-public.pem", PemKeys.pem("PUBLIC KEY", RSA.getPublic().getEncoded()));
        ecPrivate = write("ec-private.pem", PemKeys.pem("PRIVATE KEY", EC.getPrivate().getEncoded()));
        ecPublic = write("ec-public.pem", PemKeys.pem("PUBLIC KEY", EC.getPublic().getEncoded()));
        byte[] document = new JWKSet(new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("k1").build())
                .toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, document.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(document);
            }
        });
        jwks.start();
    }

    @AfterAll
    static void tearDown() {
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    private static Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String jwksUrl() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
    }

    /** Runs gen-token, expects success, returns the token. */
    private static String gen(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "gen-token";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRunner.Result result = new CliRunner().run(all);
        assertThat(result.exitCode()).as(result.err()).isZero();
        String token = result.out().trim();
        assertThat(token.split("\\.")).hasSize(3);
        return token;
    }

    private static JsonNode header(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    }

    @Test
    void anHmacTokenRoundTripsWithItsClaims() throws Exception {
        String token = gen("--secret", SECRET, "--sub", "alice", "--role", "admin", "--tenant", "acme", "--ttl", "10m",
                "--claim", "team=blue", "--claim", "level=3", "--claim", "tags=[\"a\",\"b\"]", "--issuer", "me");
        assertThat(header(token).path("alg").asText()).isEqualTo("HS256");
        CliRunner.Result check = new CliRunner().run("check-token", token, "--secret", SECRET);
        assertThat(check.exitCode()).as(check.err()).isZero();
        JsonNode claims = JSON.readTree(check.out());
        assertThat(claims.path("sub").asText()).isEqualTo("alice");
        assertThat(claims.path("role").asText()).isEqualTo("admin");
        assertThat(claims.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(claims.path("team").asText()).isEqualTo("blue");
        assertThat(claims.path("level").asInt()).isEqualTo(3);
        assertThat(claims.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(claims.path("iss").asText()).isEqualTo("me");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
    }

    @Test
    void theSecretComesFromTheServersVariableWhenNoFlagGivesOne() {
        CliRunner env = new CliRunner(Map.of("ARQONBUS_AUTH_JWT_SECRET", SECRET));
        CliRunner.Result gen = env.run("gen-token", "--sub", "bob", "--alg", "hs512");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        assertThat(env.run("check-token", gen.out().trim(), "--alg", "HS512").exitCode()).isZero();
        // The server's algorithm variable applies to check-token too.
        CliRunner hs256 = new CliRunner(Map.of("ARQONBUS_AUTH_JWT_SECRET", SECRET, "ARQONBUS_AUTH_JWT_ALGORITHM", "HS256"));
        CliRunner.Result wrongAlg = hs256.run("check-token", gen.out().trim());
        assertThat(wrongAlg.exitCode()).isEqualTo(1);
        assertThat(wrongAlg.err()).contains("invalid token: the token's algorithm HS512 is not the configured HS256");
    }

    @Test
    void rsaAndEcKeysSignAndTheirPublicKeysVerify() throws Exception {
        String rs = gen("--key-file", rsaPrivate.toString(), "--sub", "rs-user", "--kid", "k1");
        assertThat(header(rs).path("alg").asText()).isEqualTo("RS256");
        assertThat(header(rs).path("kid").asText()).isEqualTo("k1");
        assertThat(new CliRunner().run("check-token", rs, "--key-file", rsaPublic.toString()).exitCode()).isZero();
        assertThat(new CliRunner().run("check-token", rs, "--jwks-url", jwksUrl()).exitCode()).isZero();
        String es = gen("--key-file", ecPrivate.toString(), "--sub", "es-user", "--alg", "ES256");
        assertThat(header(es).path("alg").asText()).isEqualTo("ES256");
        CliRunner.Result check = new CliRunner().run("check-token", es, "--key-file", ecPublic.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(JSON.readTree(check.out()).path("sub").asText()).isEqualTo("es-user");
    }

    @Test
    void invalidTokensExitOneWithTheReason() {
        String token = gen("--secret", SECRET, "--sub", "carol");
        CliRunner.Result wrongSecret = new CliRunner().run("check-token", token, "--secret",
                "another-secret-of-at-least-32-bytes-long!");
        assertThat(wrongSecret.exitCode()).isEqualTo(1);
        assertThat(wrongSecret.err()).startsWith("arqon: invalid token: the signature does not verify");
        assertThat(wrongSecret.out()).isEmpty();
        CliRunner.Result confusion = new CliRunner().run("check-token", token, "--key-file", rsaPublic.toString());
        assertThat(confusion.exitCode()).isEqualTo(1);
        assertThat(confusion.err()).contains("the token's algorithm HS256 is not the configured RS256");
        CliRunner.Result garbage = new CliRunner().run("check-token", "not.a.jwt", "--secret", SECRET);
        assertThat(garbage.exitCode()).isEqualTo(1);
        assertThat(garbage.err()).startsWith("arqon: invalid token: not a signed JWT");
        CliRunner.Result audience = new CliRunner().run("check-token", token, "--secret", SECRET, "--audience", "bus");
        assertThat(audience.exitCode()).isEqualTo(1);
        assertThat(audience.err()).contains("audience");
        String rs = gen("--key-file", rsaPrivate.toString(), "--sub", "x", "--kid", "unknown");
        CliRunner.Result unknownKid = new CliRunner().run("check-token", rs, "--jwks-url", jwksUrl());
        assertThat(unknownKid.exitCode()).isEqualTo(1);
        assertThat(unknownKid.err()).contains("no key with kid 'unknown'");
    }

    @Test
    void anExpiredTokenExitsOne() {
        String token = gen("--secret", SECRET, "--sub", "dave", "--ttl", "1s");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CliRunner.Result check = new CliRunner().run("check-token", token, "--secret", SECRET,
                    "--clock-skew-seconds", "0");
            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.err()).contains("the token expired at");
        });
    }

    @Test
    void usageErrorsExitTwo() {
        String token = gen("--secret", SECRET, "--sub", "erin");
        String[][] usages = {
            {"gen-token", "--sub", "x"},
            {"gen-token", "--secret", SECRET},
            {"gen-token", "--secret", SECRET, "--key-file", rsaPrivate.toString(), "--sub", "x"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--ttl", "soon"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--ttl", "0s"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--alg", "RS256"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--alg", "none"},
            {"gen-token", "--key-file", rsaPrivate.toString(), "--sub", "x", "--alg", "ES256"},
            {"gen-token", "--key-file", rsaPublic.toString(), "--sub", "x"},
            {"gen-token", "--key-file", dir.resolve("missing.pem").toString(), "--sub", "x"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--claim", "sub=root"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--claim", "novalue"},
            {"gen-token", "--secret", SECRET, "--sub", "x", "--role", "a", "--claim", "role=b"},
            {"check-token", token},
            {"check-token"},
            {"check-token", token, "--secret", SECRET, "--key-file", rsaPublic.toString()},
            {"check-token", token, "--jwks-url", "ftp://example/jwks"},
            {"check-token", token, "--secret", SECRET, "--alg", "RS256"},
            {"check-token", token, "--key-file", rsaPrivate.toString()},
        };
        for (String[] args : usages) {
            CliRunner.Result result = new CliRunner().run(args);
            assertThat(result.exitCode()).as(String.join(" ", args) + " -> " + result.err()).isEqualTo(2);
            assertThat(result.err()).as(String.join(" ", args)).isNotBlank();
        }
    }

    @Test
    void checkConfigReadsThePublicKeyAndRefusesOneThatDoesNotFit() {
        CliRunner.Result good = new CliRunner().run("check-config", "--auth", "--jwt-algorithm", "RS256",
                "--jwt-public-key-file", rsaPublic.toString());
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.out()).contains("jwt_public_key_file").contains(rsaPublic.toString());
        CliRunner.Result mismatch = new CliRunner().run("check-config", "--auth", "--jwt-algorithm", "ES256",
                "--jwt-public-key-file", rsaPublic.toString());
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.err()).startsWith("arqon: invalid configuration: JWT public key file")
                .contains("ES256 needs an EC public key");
    }

    @Test
    void aGeneratedTokenOpensARealServerAndCarriesItsClaims() throws Exception {
        String token = gen("--secret", SECRET, "--sub", "frank", "--role", "admin", "--tenant", "acme");
        try (TestClient client = TestClient.connect(server.wsUri(),
                Map.of("Authorization", "Bearer " + token)).get(10, TimeUnit.SECONDS)) {
            Session session = server.components().sessions().find(client.clientId());
            assertThat(session.principal().subject()).isEqualTo("frank");
            assertThat(session.principal().isAdmin()).isTrue();
            assertThat(session.principal().tenantId()).isEqualTo("acme");
        }
        // A token of another secret is refused by the same server.
        String forged = gen("--secret", "not-the-server-secret-but-32-bytes-long!", "--sub", "frank");
        assertThat(TestClient.connect(server.wsUri(),
                Map.of("Authorization", "Bearer " + forged)).handle((c, e) -> e).get(10, TimeUnit.SECONDS)).isNotNull();
    }
}
