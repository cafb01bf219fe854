package io.arqonbus.server.internal.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RSA and EC keys from PEM text with the JDK alone: public keys as {@code PUBLIC KEY}
 * (X.509 SubjectPublicKeyInfo), {@code RSA PUBLIC KEY} (PKCS#1) or {@code CERTIFICATE}; private
 * keys as {@code PRIVATE KEY} (PKCS#8) or {@code RSA PRIVATE KEY} (PKCS#1). Problems are
 * {@link IllegalArgumentException}s with a sentence for the user.
 */
public final class PemKeys {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** The DER of AlgorithmIdentifier {rsaEncryption, NULL}. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** The largest PEM file read: {@value} bytes. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private PemKeys() {
    }

    /** The public key in this PEM file. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return publicKey(read(file));
    }

    /** The private key in this PEM file. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return privateKey(read(file));
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes; not a PEM key");
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    /** The first public key (or certificate's key) in this PEM text. */
    public static PublicKey publicKey(String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                switch (m.group(1)) {
                    case "PUBLIC KEY" -> {
                        return spki(der);
                    }
                    case "RSA PUBLIC KEY" -> {
                        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                                sequence(RSA_ALGORITHM, bitString(der))));
                    }
                    case "CERTIFICATE" -> {
                        return CertificateFactory.getInstance("X.509")
                                .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                    }
                    default -> {
                        if (m.group(1).contains("PRIVATE KEY")) {
                            throw new IllegalArgumentException("found a private key where a public key belongs; "
                                    + "give the public key (openssl pkey -in key.pem -pubout)");
                        }
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("unreadable " + m.group(1) + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("no PEM public key (-----BEGIN PUBLIC KEY-----) or certificate found");
    }

    /** The first private key in this PEM text. */
    public static PrivateKey privateKey(String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                switch (m.group(1)) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(der);
                    }
                    case "RSA PRIVATE KEY" -> {
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                                sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, octetString(der))));
                    }
                    case "EC PRIVATE KEY" -> throw new IllegalArgumentException("SEC1 EC keys are not read; convert "
                            + "with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
                    case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                            "the private key is encrypted; decrypt it with: openssl pkcs8 -in key.pem -out plain.pem");
                    default -> {
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("unreadable " + m.group(1) + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    /** Encodes a key as PEM text. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static PublicKey spki(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("neither an RSA nor an EC public key", last);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("neither an RSA nor an EC private key", last);
    }

    private static byte[] bitString(byte[] content) {
        byte[] withUnusedBits = new byte[content.length + 1];
        System.arraycopy(content, 0, withUnusedBits, 1, content.length);
        return tlv(0x03, withUnusedBits);
    }

    private static byte[] octetString(byte[] content) {
        return tlv(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
