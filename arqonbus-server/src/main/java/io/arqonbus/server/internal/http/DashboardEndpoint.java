package io.arqonbus.server.internal.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /dashboard} (docs/dashboard.md): the page and its files from {@link DashboardAssets},
 * held in memory. The page itself holds no data: it reads {@code /api/*}, {@code /status} and
 * {@code /metrics} with the credential its user gives, so this route needs none. When the dashboard
 * module is not on the class path every path below {@code /dashboard} answers 404 with a sentence
 * saying so.
 */
public final class DashboardEndpoint implements HttpEndpoint {
    /** Where the dashboard is served. */
    public static final String PATH = "/dashboard";

    /** The page may load only its own files and talk only to this server's ports. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    private final DashboardAssets assets;

    public DashboardEndpoint(DashboardAssets assets) {
        this.assets = assets;
    }

    /** Routes {@code /dashboard}, {@code /dashboard/} and every path below it to a new endpoint on {@code assets}. */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, DashboardAssets assets) {
        DashboardEndpoint endpoint = new DashboardEndpoint(assets);
        return router.get(PATH, endpoint).get(PATH + "/", endpoint).getBelow(PATH + "/", endpoint);
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        return CompletableFuture.completedFuture(answer(call.path()));
    }

    private HttpAnswer answer(String path) {
        if (!assets.present()) {
            return HttpAnswer.error(HttpResponseStatus.NOT_FOUND, "The dashboard is not part of this build: its "
                    + "files (module arqonbus-dashboard) are not on the class path. Run the runnable jar (arqon.jar) "
                    + "or add the dependency io.arqonbus:arqonbus-dashboard; see docs/dashboard.md");
        }
        String name = path.equals(PATH) || path.equals(PATH + "/") ? "index.html" : path.substring(PATH.length() + 1);
        return assets.file(name)
                .map(asset -> new HttpAnswer(HttpResponseStatus.OK, asset.contentType(), asset.body(), Map.of(
                        "Cache-Control", "no-cache",
                        "X-Content-Type-Options", "nosniff",
                        "Content-Security-Policy", CONTENT_SECURITY_POLICY)))
                .orElseGet(() -> HttpAnswer.error(HttpResponseStatus.NOT_FOUND,
                        "No dashboard file at " + path + "; the dashboard is at " + PATH + "/"));
    }
}
