package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.config.WebhookSettings;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.pattern.Glob;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code op.webhook.register {url, room?, channel?, headers?, timeout_seconds=2.0, secret?}} →
 * {@code {rule_id, url, room, channel, timeout_seconds, created_at, secret}}. The secret signs every
 * POST; it is generated unless given, and shown only in this reply.
 */
final class WebhookRegisterCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.webhook.register",
            "POSTs matching publications to an http(s) URL; args {url, room?, channel? (glob), headers?, "
                    + "timeout_seconds=2.0, secret?, durable=false (admins: outlives the connection)}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");
    static final int MAX_HEADERS = 20;
    static final int MAX_HEADER_VALUE = 1024;
    static final int MAX_URL_LENGTH = 2048;

    private final Webhooks webhooks;
    private final Clock clock;
    private final List<String> allowedHosts;
    private final ChannelPermissions permissions;

    /**
     * @param allowedHosts host globs a URL must match ({@code ARQONBUS_WEBHOOK_ALLOWED_HOSTS}); empty: any host
     * @param permissions  the role-based channel permissions, or {@code null} when there are none
     */
    WebhookRegisterCommand(Webhooks webhooks, Clock clock, List<String> allowedHosts, ChannelPermissions permissions) {
        this.webhooks = webhooks;
        this.clock = clock;
        this.allowedHosts = List.copyOf(allowedHosts);
        this.permissions = permissions;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        WebhookSettings settings = webhooks.settings();
        URI url = url(context.requiredString("url"));
        String room = context.optionalRoom();
        String channel = context.optionalChannel();
        Map<String, String> headers = headers(context.args().get("headers"));
        Duration timeout = timeout(context.args().get("timeout_seconds"), settings.maxTimeout());
        String secret = context.optionalString("secret");
        if (secret == null) {
            secret = Signature.newSecret();
        } else if (secret.length() < 16 || secret.length() > 256) {
            throw CommandException.validation("'secret' must be 16-256 characters");
        }
        boolean durable = context.optionalBoolean("durable", false);
        // Every argument is checked before the policy: a bad argument is VALIDATION_ERROR whatever the host.
        checkHostAllowed(url, allowedHosts);
        Principal principal = context.session().principal();
        if (durable && !principal.isAdmin()) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR,
                    "Only admins may register durable webhook rules (rules that outlive their connection)");
        }
        Grants grants = permissions == null ? Grants.ALL : Grants.of(permissions, principal);
        Instant now = clock.instant();
        String id = "wh_" + HexFormat.of().formatHex(randomBytes(6));
        WebhookRule rule = new WebhookRule(id, url, context.session(), context.session().clientId(),
                principal.subject(), durable ? WebhookRule.Origin.DURABLE : WebhookRule.Origin.CONNECTION,
                blankToNull(principal.tenantId()), room, channel, headers, timeout, now, secret, grants);
        try {
            webhooks.register(rule);
        } catch (WebhookLimitException e) {
            throw CommandException.conflict(e.getMessage());
        }
        ObjectNode data = WebhookListCommand.describe(context, rule, false);
        data.put("secret", secret);
        return new CommandResult("Webhook " + id + " registered", data);
    }

    private static URI url(String text) throws CommandException {
        if (text.length() > MAX_URL_LENGTH) {
            throw CommandException.validation("'url' must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw CommandException.validation("'url' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw CommandException.validation("'url' must be an absolute http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw CommandException.validation("'url' must not carry user info; use 'headers' for credentials");
        }
        return uri;
    }

    /** With {@code ARQONBUS_WEBHOOK_ALLOWED_HOSTS} set, the URL's host must match one of its globs. */
    private static void checkHostAllowed(URI url, List<String> allowed) throws CommandException {
        if (allowed.isEmpty()) {
            return;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        for (String pattern : allowed) {
            if (Glob.matches(pattern, host)) {
                return;
            }
        }
        throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Webhook host '" + host
                + "' is not allowed on this server (ARQONBUS_WEBHOOK_ALLOWED_HOSTS)");
    }

    private static Map<String, String> headers(JsonNode node) throws CommandException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw CommandException.validation("'headers' must be an object of header names to string values");
        }
        if (node.size() > MAX_HEADERS) {
            throw CommandException.validation("'headers' may hold at most " + MAX_HEADERS + " headers");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!TOKEN.matcher(name).matches()) {
                throw CommandException.validation("header name '" + name + "' is not a valid HTTP header name");
            }
            if (RESERVED.contains(lower) || lower.startsWith("x-arqonbus-") || lower.startsWith("webhook-")) {
                throw CommandException.validation("header '" + name + "' is set by the server and cannot be given");
            }
            if (!entry.getValue().isTextual()) {
                throw CommandException.validation("header '" + name + "' must have a string value");
            }
            String value = entry.getValue().asText();
            if (value.length() > MAX_HEADER_VALUE || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw CommandException.validation("header '" + name + "' must be at most " + MAX_HEADER_VALUE
                        + " characters without control characters");
            }
            headers.put(name, value);
        }
        return headers;
    }

    private static Duration timeout(JsonNode node, Duration max) throws CommandException {
        if (node == null || node.isNull()) {
            return WebhookSettings.DEFAULT_TIMEOUT.compareTo(max) > 0 ? max : WebhookSettings.DEFAULT_TIMEOUT;
        }
        double seconds = node.isNumber() ? node.asDouble() : Double.NaN;
        double maxSeconds = max.toMillis() / 1000.0;
        if (!(seconds >= 0.001 && seconds <= maxSeconds)) {
            throw CommandException.validation("'timeout_seconds' must be a number of seconds greater than 0 and at most "
                    + formatSeconds(max));
        }
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    static String formatSeconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
