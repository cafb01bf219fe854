package io.arqonbus.server.internal.httpapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/openapi.json} is OpenAPI 3.1, documents every route, and every documented route answers. */
class OpenApiDocumentTest {
    static final String ADMIN = "admin-key-0123456789";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .httpApi(h -> h.withKeys(List.of(ApiKey.parse("ops:admin=" + ADMIN)))));

    private final ApiCalls api = new ApiCalls(server);

    private JsonNode document() throws Exception {
        ApiCalls.Answer answer = api.get("/api/openapi.json", null);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> documented(JsonNode document) {
        List<String> out = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return out;
    }

    @Test
    void everyRouteIsDocumented() throws Exception {
        JsonNode document = document();
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        EnvelopeCodec codec = new EnvelopeCodec(new IdGenerator(), Clock.systemUTC());
        List<String> routes = HttpApi.routes(new HttpApi.Parts(ServerConfig.defaults(), null, null, null, null,
                null, null, codec, null, null, null, null, BusTracing.off())).routes();
        assertThat(documented(document)).containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void everyDocumentedRouteAnswers() throws Exception {
        for (String route : documented(document())) {
            String[] parts = route.split(" ", 2);
            String body = parts[0].equals("POST") ? "{}" : null;
            ApiCalls.Answer answer = api.send(parts[0], parts[1], body, ADMIN);
            assertThat(answer.status()).as(route).isNotEqualTo(405).isLessThan(500);
            assertThat(answer.message()).as(route).doesNotStartWith("No API route");
        }
    }
}
