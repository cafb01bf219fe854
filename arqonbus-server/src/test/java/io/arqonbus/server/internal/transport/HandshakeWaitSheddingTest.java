package io.arqonbus.server.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission by waiting time: with no bound on the count, an upgrade request that reaches the
 * server more than half the handshake timeout after its connection was accepted is answered and
 * closed at once with 1013 (the server is that far behind, as far as it can tell), while a prompt
 * one is welcomed as usual.
 */
class HandshakeWaitSheddingTest {
    private static final String SECRET = "a-wait-shedding-test-secret-of-at-least-32-bytes";
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(6);

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.authEnabled(true)
            .jwtSecret(SECRET)
            .maxPendingHandshakes(0)
            .handshakeTimeout(HANDSHAKE_TIMEOUT));

    private static String token(String sub) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(sub)
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void anUpgradeReadMoreThanHalfTheHandshakeTimeoutAfterItsAcceptIsShedWith1013() throws Exception {
        InetSocketAddress address = server.bus().busAddress();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET / HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Authorization: Bearer " + token("late") + "\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setSoTimeout((int) ArqonBusExtension.TIMEOUT.toMillis());
            // The scenario itself, not a synchronisation: the request reaches the server 3.5 s after
            // the accept (past half of the 6 s timeout, well before it), as it would behind a long
            // queue on the loop.
            Thread.sleep(HANDSHAKE_TIMEOUT.toMillis() * 7 / 12);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(headers(in)).startsWith("HTTP/1.1 101");
            int opcode = in.readUnsignedByte() & 0x0F;
            int length = in.readUnsignedByte() & 0x7F;
            byte[] payload = new byte[length];
            in.readFully(payload);
            assertThat(opcode).isEqualTo(0x8);
            assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)).isEqualTo(1013);
            assertThat(new String(payload, 2, length - 2, StandardCharsets.UTF_8))
                    .isEqualTo(PendingHandshakes.SHED_REASON);
        }
        assertThat(server.components().metrics().registry().counter("arqonbus.limit.closes",
                "reason", "handshake_waited").count()).isGreaterThanOrEqualTo(1);
        assertThat(server.components().metrics().registry().find("arqonbus.limit.closes")
                .tag("reason", "handshakes_in_progress").counter()).isNull();
    }

    @Test
    void aPromptUpgradeIsWelcomedWithoutACountBound() throws Exception {
        TestClient client = server.connect(Map.of("Authorization", "Bearer " + token("prompt")));
        assertThat(client.command("ping", null).get(ArqonBusExtension.TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .path("status").asText()).isEqualTo("success");
        client.close();
    }

    /** The response's status line and headers, up to the blank line. */
    private static String headers(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the response's headers ended: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
