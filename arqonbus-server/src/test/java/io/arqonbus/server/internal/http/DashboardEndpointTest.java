package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /dashboard}: the files listed in {@code files.txt} under the class-path folder, with their
 * content types; without the dashboard module on the class path (as in this module's tests) a 404
 * that says why.
 */
class DashboardEndpointTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    @Test
    void withoutTheDashboardModuleTheRouteSaysWhy() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.httpUri("/dashboard/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("The dashboard is not part of this build").contains("arqonbus-dashboard");
    }

    @Test
    void servesTheListedFilesFromTheClassPath(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve(DashboardAssets.ROOT));
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>x</title>");
        Files.writeString(root.resolve("dashboard.js"), "console.log(1)");
        Files.writeString(root.resolve("unlisted.js"), "secret");
        Files.writeString(root.resolve("files.txt"), "index.html\ndashboard.js\n../escape\n");
        DashboardAssets assets;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assets = DashboardAssets.load(loader);
        }
        DashboardEndpoint endpoint = new DashboardEndpoint(assets);
        HttpAnswer index = endpoint.handle(call("/dashboard")).toCompletableFuture().join();
        assertThat(index.status().code()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(index.headers()).containsKey("Content-Security-Policy");
        assertThat(endpoint.handle(call("/dashboard/")).toCompletableFuture().join().body()).isEqualTo(index.body());
        HttpAnswer script = endpoint.handle(call("/dashboard/dashboard.js")).toCompletableFuture().join();
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(new String(script.body(), StandardCharsets.UTF_8)).isEqualTo("console.log(1)");
        assertThat(endpoint.handle(call("/dashboard/unlisted.js")).toCompletableFuture().join().status().code())
                .isEqualTo(404);
    }

    private static HttpCall call(String path) {
        return new HttpCall(io.netty.handler.codec.http.HttpMethod.GET, path, java.util.Map.of(),
                io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    }
}
