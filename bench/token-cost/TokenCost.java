/*
 * What a handshake's token check costs the server: N distinct HS256 tokens (one per client, as in
 * `bench reconnect-storm`) verified by a fresh JwtAuthenticator — a restarted server, every token
 * new — then the same N again — the clients reconnecting with the tokens they had. Prints the
 * microseconds and bytes allocated per token, four rounds (the first ones warm the JIT).
 *
 *   java -cp arqonbus-cli/target/arqon.jar bench/token-cost/TokenCost.java 20000
 *
 * Figures in docs/benchmarks.md (Reconnect storm).
 */
import io.arqonbus.server.config.JwtSettings;
import io.arqonbus.server.internal.auth.JwtAuthenticator;
import com.nimbusds.jose.*; import com.nimbusds.jose.crypto.MACSigner; import com.nimbusds.jwt.*;
import java.time.*; import java.util.*;
public class TokenCost {
  public static void main(String[] a) throws Exception {
    String secret = "stormsecret-0123456789abcdef0123456789abcdef";
    int n = Integer.parseInt(a[0]);
    String[] tokens = new String[n];
    MACSigner signer = new MACSigner(secret.getBytes());
    for (int i = 0; i < n; i++) {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("storm-1-" + i)
          .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 3600_000)).build());
      jwt.sign(signer); tokens[i] = jwt.serialize();
    }
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    for (int round = 0; round < 4; round++) {
      // a fresh authenticator per round: every token is new to it (a restart), then seen again (a reconnect)
      JwtAuthenticator auth = JwtAuthenticator.create(JwtSettings.of("HS256", secret, null, null), Clock.systemUTC());
      for (String label : new String[] {"first", "again"}) {
        long b0 = mx.getThreadAllocatedBytes(tid); long t0 = System.nanoTime();
        for (String t : tokens) { if (!(auth.verify(t).join() instanceof io.arqonbus.server.internal.auth.AuthResult.Accepted)) throw new AssertionError(); }
        long t1 = System.nanoTime(); long b1 = mx.getThreadAllocatedBytes(tid);
        System.out.printf("round %d %s: %.2f us/token, %d bytes/token%n", round, label, (t1 - t0) / 1e3 / n, (b1 - b0) / n);
      }
      auth.close();
    }
  }
}
