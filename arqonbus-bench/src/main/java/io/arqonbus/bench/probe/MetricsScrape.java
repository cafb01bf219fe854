package io.arqonbus.bench.probe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a server's direct memory from its Prometheus {@code /metrics}: Netty's pooled allocator
 * ({@code netty_allocator_memory_used{memory_type="direct"}}, summed over allocators) and the JVM's
 * direct buffer pool ({@code jvm_buffer_memory_used_bytes{id="direct"}}). Without a URL, or when the
 * page cannot be read, every figure is -1.
 */
public final class MetricsScrape {
    /** Direct memory in bytes, -1 when unknown. */
    public record Direct(long nettyBytes, long jvmBufferBytes) {
        static final Direct UNKNOWN = new Direct(-1, -1);
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final HttpClient http;

    /** @param url the server's {@code /metrics} URL, or {@code null} for none */
    public MetricsScrape(URI url) {
        this.url = url;
        this.http = url == null ? null : HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Reads the page now. */
    public Direct direct() {
        if (url == null) {
            return Direct.UNKNOWN;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : Direct.UNKNOWN;
        } catch (IOException e) {
            return Direct.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Direct.UNKNOWN;
        }
    }

    /** The two figures of a Prometheus text page (-1 for a series the page does not have). */
    static Direct parse(String page) {
        long netty = -1;
        long buffers = -1;
        for (String line : page.split("\n")) {
            if (line.startsWith("netty_allocator_memory_used{") && line.contains("memory_type=\"direct\"")) {
                netty = Math.max(0, netty) + value(line);
            } else if (line.startsWith("jvm_buffer_memory_used_bytes{") && line.contains("id=\"direct\"")) {
                buffers = Math.max(0, buffers) + value(line);
            }
        }
        return new Direct(netty, buffers);
    }

    private static long value(String line) {
        String[] parts = line.substring(line.lastIndexOf('}') + 1).trim().split(" ");
        return (long) Double.parseDouble(parts[0]);
    }
}
