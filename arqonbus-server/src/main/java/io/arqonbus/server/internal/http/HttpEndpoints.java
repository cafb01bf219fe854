package io.arqonbus.server.internal.http;

/** The HTTP port's routes. */
public final class HttpEndpoints {
    private HttpEndpoints() {
    }

    /** {@code /health}, {@code /ready}, {@code /livez}, {@code /version}, {@code /status} and {@code /metrics}. */
    public static HttpRouter router(BusView view, HealthCheck health) {
        return routes(view, health).build();
    }

    /** The builder of {@link #router}, for adding more routes (e.g. {@link EventsRoutes}). */
    public static HttpRouter.Builder routes(BusView view, HealthCheck health) {
        return HttpRouter.builder()
                .get("/health", new HealthEndpoint(view, health))
                .get("/ready", new ReadyEndpoint(view, health))
                .get("/livez", new LivezEndpoint(view))
                .get("/version", new VersionEndpoint(view))
                .get("/status", new StatusEndpoint(view))
                .get("/metrics", new MetricsEndpoint(view));
    }
}
