package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.model.ModelManifest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The server's own routes: the welcome ({@code /}), health and readiness, the models and their
 * reload, the OpenAPI document and the Prometheus scrape.
 */
final class AdminRoutes implements Service {
  private final Calls calls;
  private final Augur augur;
  private final ServerMetrics metrics;
  private final BooleanSupplier ready;
  private final OpenApi openApi;
  private final StaticPages pages;

  AdminRoutes(
      Calls calls,
      ServerMetrics metrics,
      BooleanSupplier ready,
      OpenApi openApi,
      StaticPages pages) {
    this.calls = calls;
    this.augur = calls.augur();
    this.metrics = metrics;
    this.ready = ready;
    this.openApi = openApi;
    this.pages = pages;
  }

  @Override
  public void register(Router r) {
    r.get("/", this::welcome)
        .get("/health/live", ex -> Http.send(ex, 200, Map.of("status", "live")))
        .get("/health/ready", this::readiness)
        // the probe of SageMaker, TorchServe and MLflow: the same as readiness
        .get("/ping", this::readiness)
        .get("/models", this::models)
        .get(
            "/models/{m}",
            ex -> Http.send(ex, 200, Views.model(calls.manifest(ex), augur.models())))
        .post("/models/{m}/reload", this::reload)
        .get("/openapi.json", ex -> Http.send(ex, 200, openApi.document()))
        .get("/metrics", this::prometheus);
  }

  private void welcome(HttpServerExchange ex) {
    // one URL, two representations: caches must not hand the page to the page's own JSON fetch
    ex.getResponseHeaders().put(Headers.VARY, "Accept");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    if (Http.wantsPage(ex)) {
      pages.sendIndex(ex);
      return;
    }
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("models", "/models");
    links.put("openapi", "/openapi.json");
    links.put("docs", "/docs");
    links.put("health", "/health/ready");
    links.put("metrics", "/metrics");
    links.put("sources", "/sources");
    links.put("v2", "/v2");
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("name", "augur");
    w.put("version", Version.VALUE);
    w.put("default_model", augur.defaultModel().orElse(null));
    w.put("models", augur.models().names());
    w.put("links", links);
    Http.send(ex, 200, w);
  }

  private void readiness(HttpServerExchange ex) {
    boolean historyUp = augur.history().map(HistoryStore::isAvailable).orElse(true);
    boolean ok = ready.getAsBoolean() && historyUp;
    Map<String, Object> b = new LinkedHashMap<>();
    List<Map<String, Object>> broken = Views.broken(augur.models());
    // with --keep-going the healthy models are served; with none healthy there is nothing to serve
    ok &= broken.isEmpty() || !augur.models().names().isEmpty();
    b.put("status", ok ? "ready" : "not ready");
    b.put("models", augur.models().names());
    b.put("broken", broken);
    b.put("history", augur.history().isEmpty() ? "none" : historyUp ? "up" : "down");
    Http.send(ex, ok ? 200 : 503, b);
  }

  private void models(HttpServerExchange ex) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : augur.models().names()) {
      ModelManifest m = augur.manifest(name);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", name);
      s.put("version", m.version());
      s.put("versions", augur.models().versions(name));
      s.put("task", m.task().id());
      s.put("description", m.description());
      s.put("url", "/models/" + name);
      out.add(s);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("models", out);
    body.put("broken", Views.broken(augur.models()));
    Http.send(ex, 200, body);
  }

  private void reload(HttpServerExchange ex) {
    String m = Http.pathParam(ex, "m");
    augur.models().reload(m);
    Http.send(ex, 200, Views.model(augur.manifest(m), augur.models()));
  }

  private void prometheus(HttpServerExchange ex) {
    Http.sendText(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }
}
