package io.arqonbus.server.internal.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.function.Function;

/**
 * Reads and writes the W3C trace context where the bus carries it: an envelope's {@code metadata}
 * (text fields {@code traceparent} and {@code tracestate}; any other type counts as absent) and
 * HTTP headers.
 */
final class MetadataCarrier {
    private static final List<String> KEYS = List.of(BusTracing.TRACEPARENT, BusTracing.TRACESTATE);

    static final TextMapGetter<ObjectNode> METADATA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ObjectNode carrier) {
            return KEYS;
        }

        @Override
        public String get(ObjectNode carrier, String key) {
            if (carrier == null) {
                return null;
            }
            JsonNode value = carrier.get(key);
            return value != null && value.isTextual() ? value.asText() : null;
        }
    };

    static final TextMapSetter<ObjectNode> METADATA_SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };

    static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return KEYS;
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private MetadataCarrier() {
    }
}
