package io.arqonbus.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A webhook rule the configuration file declares (under {@code webhooks:}): it fires from start-up,
 * after every restart, belongs to no connection and is not unregistered by clients.
 *
 * <pre>
 * webhooks:
 *   - id: audit                      # [A-Za-z0-9_-]{1,64}; the rule is cfg_audit on the wire
 *     url: https://hooks.example.com/arqon
 *     room: science                  # optional, exact
 *     channel: "alerts-*"            # optional, glob or exact
 *     secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw   # required; whsec_ + base64 for Standard Webhooks verifiers
 *     timeout_seconds: 5             # optional (2)
 *     headers: {Authorization: "Bearer …"}               # optional
 * </pre>
 *
 * @param id      the name in the file; the rule id is {@code cfg_<id>}
 * @param url     an absolute http(s) URL without user info
 * @param room    the room matched exactly, or {@code null} for any
 * @param channel the channel glob or name, or {@code null} for any
 * @param headers extra request headers
 * @param timeout the request timeout
 * @param secret  the signing secret (16-256 characters)
 */
public record DeclaredWebhook(String id, URI url, String room, String channel, Map<String, String> headers,
        Duration timeout, String secret) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    public DeclaredWebhook {
        check(id != null && ID.matcher(id).matches(), "webhooks: rule id '" + id
                + "' must be 1-64 letters, digits, '_' or '-'");
        String where = "webhooks: rule '" + id + "': ";
        check(url != null && url.isAbsolute() && url.getHost() != null && url.getRawUserInfo() == null
                && ("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())),
                where + "'url' must be an absolute http:// or https:// URL with a host and no user info");
        check(secret != null && secret.length() >= 16 && secret.length() <= 256,
                where + "'secret' is required (16-256 characters; whsec_<base64> for Standard Webhooks)");
        check(timeout != null && timeout.isPositive(), where + "'timeout_seconds' must be greater than 0");
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            check(HEADER.matcher(header.getKey()).matches() && !lower.startsWith("x-arqonbus-")
                    && !lower.startsWith("webhook-") && !lower.equals("content-type") && !lower.equals("host"),
                    where + "header '" + header.getKey() + "' is not a valid header name or is set by the server");
            check(header.getValue().chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f),
                    where + "header '" + header.getKey() + "' must not hold control characters");
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new ConfigException(problem);
        }
    }
}
