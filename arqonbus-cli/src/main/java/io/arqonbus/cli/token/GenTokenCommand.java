package io.arqonbus.cli.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.arqonbus.cli.common.CliContext;
import io.arqonbus.cli.common.CliException;
import io.arqonbus.cli.common.ExitCodes;
import io.arqonbus.server.internal.auth.PemKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arqon gen-token}: prints a signed JWT for a bus client — HMAC with a shared secret, or
 * RSA/ECDSA with a PEM private key — with {@code sub}, optional {@code role} and
 * {@code tenant_id}, {@code iat}/{@code exp} from {@code --ttl}, and extra claims.
 */
@Command(name = "gen-token",
        description = {"Print a signed JWT that an ArqonBus server with auth on accepts.",
                "Sign with --secret (HS256/384/512; default: env ARQONBUS_AUTH_JWT_SECRET) or --key-file "
                        + "(a PEM private key: RS256 for RSA, ES256/384/512 for EC keys)."})
public final class GenTokenCommand implements Callable<Integer> {
    static final String SECRET_ENV = "ARQONBUS_AUTH_JWT_SECRET";
    private static final Set<String> RESERVED = Set.of("sub", "exp", "iat", "nbf");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "HMAC secret (default: env " + SECRET_ENV + "; prefer the variable: flags show in the "
                    + "process list).")
    String secret;

    @Option(names = "--key-file", paramLabel = "PEM",
            description = "PEM private key (PKCS#8 'PRIVATE KEY', or PKCS#1 'RSA PRIVATE KEY').")
    Path keyFile;

    @Option(names = "--alg", paramLabel = "ALG",
            description = "HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384 or ES512 (default: HS256 with a "
                    + "secret, RS256 for an RSA key, ES256/384/512 by the EC key's curve).")
    String alg;

    @Option(names = "--sub", paramLabel = "ID", required = true,
            description = "The subject: the only client id the connection may take.")
    String sub;

    @Option(names = "--role", paramLabel = "ROLE", description = "The role claim, e.g. admin (server default: user).")
    String role;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "The tenant_id claim.")
    String tenant;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h",
            description = "Lifetime: 90s, 15m, 1h, 1h30m, 7d or PT1H (default ${DEFAULT-VALUE}; at most 366d).")
    String ttl;

    @Option(names = "--claim", paramLabel = "KEY=VALUE",
            description = "An extra claim (repeatable); a VALUE that is JSON (number, true, \"text\", {...}) is "
                    + "taken as JSON, anything else as a string.")
    List<String> claims = new ArrayList<>();

    @Option(names = "--kid", paramLabel = "KID", description = "The key id header (for servers using a JWKS).")
    String kid;

    @Option(names = "--issuer", paramLabel = "ISS", description = "The iss claim.")
    String issuer;

    @Option(names = "--audience", paramLabel = "AUD", description = "The aud claim.")
    String audience;

    @ParentCommand
    CliContext parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String algorithm = KeyOptions.algorithm(alg);
        if (secret != null && keyFile != null) {
            throw CliException.usage("give either --secret or --key-file, not both");
        }
        String key = secret != null ? secret : keyFile == null ? parent.environment().getenv(SECRET_ENV, null) : null;
        if (key == null && keyFile == null) {
            throw CliException.usage("give --secret or --key-file (or set " + SECRET_ENV + ")");
        }
        if (sub.isBlank()) {
            throw CliException.usage("--sub must not be blank");
        }
        JWTClaimsSet claimSet = claims(Ttl.parse(ttl));
        String token;
        if (key != null) {
            algorithm = KeyOptions.forSecret(algorithm);
            if (key.isEmpty()) {
                throw CliException.usage("the secret is empty");
            }
            if (key.getBytes(StandardCharsets.UTF_8).length < 32) {
                spec.commandLine().getErr().println("arqon: warning: the secret is shorter than 32 bytes; "
                        + "use a longer random secret");
            }
            token = hmac(header(algorithm), key.getBytes(StandardCharsets.UTF_8), claimSet);
        } else {
            PrivateKey privateKey = privateKey();
            algorithm = KeyOptions.forKey(algorithm, privateKey, "--key-file " + keyFile);
            token = sign(header(algorithm), claimSet, privateKey);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return ExitCodes.OK;
    }

    private JWTClaimsSet claims(Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(sub)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)));
        Set<String> given = new java.util.HashSet<>();
        if (role != null) {
            builder.claim("role", role);
            given.add("role");
        }
        if (tenant != null) {
            builder.claim("tenant_id", tenant);
            given.add("tenant_id");
        }
        if (issuer != null) {
            builder.issuer(issuer);
            given.add("iss");
        }
        if (audience != null) {
            builder.audience(audience);
            given.add("aud");
        }
        for (String claim : claims) {
            int eq = claim.indexOf('=');
            if (eq <= 0) {
                throw CliException.usage("--claim: '" + claim + "' (expected: KEY=VALUE)");
            }
            String name = claim.substring(0, eq).trim();
            if (RESERVED.contains(name)) {
                throw CliException.usage("--claim: '" + name + "' is set by " + (name.equals("sub") ? "--sub" : "--ttl"));
            }
            if (!given.add(name)) {
                throw CliException.usage("--claim: '" + name + "' is given twice");
            }
            builder.claim(name, value(claim.substring(eq + 1)));
        }
        return builder.build();
    }

    private static Object value(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (IOException e) {
            return text;
        }
    }

    private JWSHeader header(String algorithm) {
        return new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).type(JOSEObjectType.JWT).keyID(kid).build();
    }

    private PrivateKey privateKey() {
        try {
            return PemKeys.readPrivateKey(keyFile);
        } catch (IOException e) {
            throw CliException.usage("--key-file " + keyFile + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--key-file " + keyFile + ": " + e.getMessage());
        }
    }

    /** HMAC with the JDK, so secrets of any length work (as the server accepts them). */
    static String hmac(JWSHeader header, byte[] key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        String name = "HmacSHA" + header.getAlgorithm().getName().substring(2);
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            return new String(jwt.getSigningInput(), StandardCharsets.US_ASCII) + "."
                    + Base64URL.encode(mac.doFinal(jwt.getSigningInput()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JWSHeader header, JWTClaimsSet claims, PrivateKey key) {
        try {
            JWSSigner signer = key instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException | IllegalArgumentException e) {
            throw CliException.usage("--key-file " + keyFile + ": cannot sign " + header.getAlgorithm() + ": "
                    + e.getMessage());
        }
    }
}
