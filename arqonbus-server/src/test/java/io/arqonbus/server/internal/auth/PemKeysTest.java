package io.arqonbus.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** PEM keys read with the JDK alone, and clear refusals for what is not read. */
class PemKeysTest {
    @Test
    void publicKeysInEveryForm() {
        KeyPair rsa = Tokens.rsa();
        KeyPair ec = Tokens.ec(Curve.P_256);
        assertThat(PemKeys.publicKey(Tokens.pem(rsa.getPublic()))).isEqualTo(rsa.getPublic());
        assertThat(PemKeys.publicKey("comment line\n" + Tokens.pem(ec.getPublic()))).isEqualTo(ec.getPublic());
        // PKCS#1 "RSA PUBLIC KEY": the SubjectPublicKeyInfo of a 2048-bit key minus its 24-byte header.
        byte[] spki = rsa.getPublic().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(spki, 24, spki.length);
        assertThat(PemKeys.publicKey(PemKeys.pem("RSA PUBLIC KEY", pkcs1))).isEqualTo(rsa.getPublic());
    }

    @Test
    void privateKeys() {
        KeyPair rsa = Tokens.rsa();
        KeyPair ec = Tokens.ec(Curve.P_256);
        assertThat(PemKeys.privateKey(PemKeys.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))).isEqualTo(rsa.getPrivate());
        assertThat(PemKeys.privateKey(PemKeys.pem("PRIVATE KEY", ec.getPrivate().getEncoded()))).isEqualTo(ec.getPrivate());
        // PKCS#1 "RSA PRIVATE KEY": the PKCS#8 of a 2048-bit key minus its 26-byte header.
        byte[] pkcs8 = rsa.getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertThat(PemKeys.privateKey(PemKeys.pem("RSA PRIVATE KEY", pkcs1)).getEncoded()).isEqualTo(pkcs8);
    }

    @Test
    void whatIsNotReadIsExplained() {
        KeyPair rsa = Tokens.rsa();
        String privatePem = PemKeys.pem("PRIVATE KEY", rsa.getPrivate().getEncoded());
        assertThatThrownBy(() -> PemKeys.publicKey(privatePem)).hasMessageContaining("private key where a public key belongs");
        assertThatThrownBy(() -> PemKeys.publicKey("nothing")).hasMessageContaining("no PEM public key");
        assertThatThrownBy(() -> PemKeys.privateKey(PemKeys.pem("EC PRIVATE KEY", new byte[] {1, 2})))
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> PemKeys.privateKey(PemKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2})))
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PemKeys.publicKey(PemKeys.pem("PUBLIC KEY", new byte[] {1, 2, 3})))
                .hasMessageContaining("unreadable PUBLIC KEY");
    }
}
