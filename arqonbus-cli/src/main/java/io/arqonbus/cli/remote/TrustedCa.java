package io.arqonbus.cli.remote;

import io.arqonbus.cli.common.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP client of the remote commands: the JDK's trust store by default, or exactly the
 * certificates of a PEM file ({@code --ca-file} / {@code ARQONBUS_CA_FILE}) — a private CA or a
 * server's self-signed certificate — for {@code https://} and {@code wss://}.
 */
final class TrustedCa {
    /** The environment variable that names the PEM file when {@code --ca-file} is not given. */
    static final String ENV = "ARQONBUS_CA_FILE";

    private TrustedCa() {
    }

    /** A client with this connect timeout, trusting {@code caFile}'s certificates when it is not {@code null}. */
    static HttpClient client(String caFile, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (caFile != null) {
            builder.sslContext(sslContext(Path.of(caFile)));
        }
        return builder.build();
    }

    private static SSLContext sslContext(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw CliException.usage("--ca-file " + pem + ": no certificate in the file (expected PEM)");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw CliException.usage("--ca-file " + pem + ": cannot read it (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw CliException.usage("--ca-file " + pem + ": not a PEM certificate file (" + e.getMessage() + ")");
        }
    }
}
