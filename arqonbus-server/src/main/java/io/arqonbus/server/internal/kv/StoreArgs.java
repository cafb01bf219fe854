package io.arqonbus.server.internal.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.KvLimits;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import java.nio.charset.StandardCharsets;

/** The arguments of the {@code op.store.*} commands, checked against the limits and the caller's tenant. */
final class StoreArgs {
    private final KvLimits limits;
    private final ObjectMapper mapper;

    StoreArgs(KvLimits limits, ObjectMapper mapper) {
        this.limits = limits;
        this.mapper = mapper;
    }

    /**
     * A namespace as the caller named it (what replies echo) and where it is stored (relative names
     * of a tenant's connection are stored below its tenant, {@link Namespaces#resolve}).
     */
    record Namespace(String shown, String stored) {
    }

    /**
     * {@code args.namespace} or the caller's default, resolved within the caller's tenant; names of
     * another tenant's namespaces and the server's own are refused.
     */
    Namespace namespace(CommandContext context) throws CommandException {
        String namespace = context.optionalString("namespace");
        if (namespace == null) {
            namespace = Namespaces.defaultFor(context.session().principal());
        }
        checkName("namespace", namespace, limits.maxKeyLength());
        if (Namespaces.isReserved(namespace)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to use namespace '" + namespace
                    + "': namespaces starting with '" + Namespaces.RESERVED_PREFIX + "' are the server's own");
        }
        String stored = Namespaces.resolve(context.session().principal(), namespace);
        if (stored == null) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to use namespace '" + namespace
                    + "': a connection may use only its own tenant's namespaces ("
                    + Namespaces.defaultFor(context.session().principal()) + " and below)");
        }
        return new Namespace(namespace, stored);
    }

    /** The required {@code key}. */
    String key(CommandContext context) throws CommandException {
        String key = context.requiredString("key");
        checkName("key", key, limits.maxKeyLength());
        return key;
    }

    /** The required, non-null {@code value} as JSON text within the size limit. */
    String value(CommandContext context) throws CommandException {
        JsonNode value = context.args().get("value");
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw CommandException.validation("'value' is required (any JSON value but null)");
        }
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw CommandException.validation("'value' cannot be written as JSON");
        }
        int max = limits.maxValueBytes();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw CommandException.validation("'value' is " + bytes + " bytes of JSON; the limit is " + max
                    + " (ARQONBUS_KV_MAX_VALUE_BYTES)");
        }
        return json;
    }

    /** The stored JSON text as a tree. */
    JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the key-value store returned text that is not JSON", e);
        }
    }

    private static void checkName(String name, String value, int maxLength) throws CommandException {
        if (value.isEmpty() || value.length() > maxLength) {
            throw CommandException.validation("'" + name + "' must be 1-" + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw CommandException.validation("'" + name + "' must not contain control characters");
            }
        }
    }
}
