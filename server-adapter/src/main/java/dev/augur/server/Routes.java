package dev.augur.server;

import dev.augur.core.Augur;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The HTTP API's table: each area adds its own routes ({@link Service}), they share {@link Calls},
 * and the static pages sit in front. Unknown paths and methods are problem+json 404 and 405.
 *
 * <p>Where a route lives: {@link PredictionRoutes}, {@link HistoryRoutes} (outcomes, quality,
 * drift), {@link ChartRoutes}, {@link SourceRoutes}, {@link V2} (KServe), {@link Mlflow}, {@link
 * AdminRoutes} (welcome, health, models, OpenAPI, metrics).
 */
final class Routes {
  private final Router router;
  private final HttpHandler handler;

  Routes(Augur augur, AugurServer.Settings settings, ServerMetrics metrics, BooleanSupplier ready) {
    Calls calls = new Calls(augur, settings, metrics);
    RecentForecasts forecasts = new RecentForecasts();
    StaticPages pages = new StaticPages();
    OpenApi openApi = new OpenApi(augur, settings.apiKey().isPresent());
    this.router = new Router(new ApiKey(settings.apiKey()), metrics);
    List<Service> services =
        List.of(
            new AdminRoutes(calls, metrics, ready, openApi, pages),
            new PredictionRoutes(calls, forecasts),
            new HistoryRoutes(calls),
            new ChartRoutes(calls, settings.charts(), forecasts),
            new SourceRoutes(augur),
            new Mlflow(calls),
            new V2(calls));
    services.forEach(s -> s.register(router));
    router
        .handler()
        .setFallbackHandler(
            ex ->
                Http.sendProblem(
                    ex, Problems.of(HttpProblem.notFound("no route " + ex.getRequestPath()))));
    router
        .handler()
        .setInvalidMethodHandler(
            ex ->
                Http.sendProblem(
                    ex,
                    Problems.of(
                        new HttpProblem(
                            405,
                            "Method not allowed",
                            ex.getRequestMethod() + " is not allowed on " + ex.getRequestPath()))));
    this.handler = pages.around(router.handler());
  }

  HttpHandler handler() {
    return handler;
  }

  /** Every route as {@code METHOD /template}, for the check that the OpenAPI document has each. */
  Set<String> routes() {
    return router.routes();
  }

  /** Routes cheap and non-blocking enough to answer on the I/O thread. */
  boolean answersOnIoThread(HttpServerExchange ex) {
    String p = ex.getRequestPath();
    return p.equals("/health/live") || p.equals("/v2/health/live");
  }
}
