package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.Augur;
import dev.augur.core.DataSourceException;
import dev.augur.core.ForecastResult;
import dev.augur.core.HistoryStore;
import dev.augur.core.ImageFormat;
import dev.augur.core.InvalidInputException;
import dev.augur.core.ModelNotFoundException;
import dev.augur.core.Observation;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.chart.ChartSpecs;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.schema.Feature;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Every route of the HTTP API: parse the request, call {@link Augur}, write the answer. */
final class Routes {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Routes.class);
  static final int MAX_INSTANCES = 10_000;
  private static final String SWAGGER_ROOT = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEB_ROOT = "dev/augur/server/web/";

  private final Augur augur;
  private final AugurServer.Settings settings;
  private final ServerMetrics metrics;
  private final BooleanSupplier ready;
  private final Semaphore permits;
  private final byte[] apiKeyHash;
  private final RoutingHandler router = new RoutingHandler(false);
  private final java.util.Set<String> registered = new java.util.TreeSet<>();
  private final HttpHandler handler;
  private final Charts charts;
  private final V2 v2;
  private final Mlflow mlflow;
  private final OpenApi openApi;
  private final byte[] indexHtml;

  /** A route body; anything it throws becomes a problem answer. */
  @FunctionalInterface
  interface Route {
    void handle(HttpServerExchange ex) throws Exception;
  }

  Routes(Augur augur, AugurServer.Settings settings, ServerMetrics metrics, BooleanSupplier ready) {
    this.augur = augur;
    this.settings = settings;
    this.metrics = metrics;
    this.ready = ready;
    this.permits = new Semaphore(settings.maxInFlight());
    this.apiKeyHash = settings.apiKey().map(Routes::sha256).orElse(null);
    this.charts = new Charts(augur, settings.charts());
    this.v2 = new V2(this, augur);
    this.mlflow = new Mlflow(this, augur);
    this.openApi = new OpenApi(augur, settings.apiKey().isPresent());

    get("/", this::welcome);
    get("/health/live", ex -> Http.send(ex, 200, Map.of("status", "live")));
    get("/health/ready", this::readiness);
    // the probe of SageMaker, TorchServe and MLflow: the same as readiness
    get("/ping", this::readiness);
    get("/models", this::models);
    get("/models/{m}", ex -> Http.send(ex, 200, Views.model(manifest(ex), augur.models())));
    post("/models/{m}/predict", ex -> predictBody(ex, model(ex)));
    get("/models/{m}/predict", ex -> predictQuery(ex, model(ex)));
    put("/models/{m}/predictions/{id}/outcome", this::outcome);
    get("/models/{m}/predictions", ex -> history(ex, model(ex)));
    get("/models/{m}/predictions.csv", this::csv);
    get("/models/{m}/predictions/{id}", this::oneRecord);
    get("/models/{m}/quality", this::quality);
    get("/models/{m}/drift", this::drift);
    get(
        "/models/{m}/charts/{file}",
        ex -> charts.modelChart(ex, model(ex), Http.pathParam(ex, "file")));
    get(
        "/models/{m}/forecasts/{file}",
        ex -> charts.forecastChart(ex, model(ex), Http.pathParam(ex, "file")));
    post("/models/{m}/forecast", this::forecast);
    post("/models/{m}/reload", this::reload);
    post("/plot", this::plot);
    get("/sources", this::sources);
    get("/sources/{s}/keys", this::keys);
    get("/sources/{s}/keys/{k}", this::points);
    get("/openapi.json", ex -> Http.send(ex, 200, openApi.document()));
    get("/metrics", this::prometheus);
    // the tutorials' routes, for the default model
    post("/predict", ex -> predictBody(ex, defaultModel(ex)));
    get("/predict", ex -> predictQuery(ex, defaultModel(ex)));
    post("/update", this::update);
    get("/history", ex -> history(ex, defaultModel()));
    // MLflow scoring protocol
    post("/models/{m}/invocations", ex -> mlflow.invocations(ex, model(ex)));
    post("/invocations", ex -> mlflow.invocations(ex, defaultModel(ex)));
    v2.register();

    router.setFallbackHandler(
        ex ->
            Http.sendProblem(
                ex, Problems.of(HttpProblem.notFound("no route " + ex.getRequestPath()))));
    router.setInvalidMethodHandler(
        ex ->
            Http.sendProblem(
                ex,
                Problems.of(
                    new HttpProblem(
                        405,
                        "Method not allowed",
                        ex.getRequestMethod() + " is not allowed on " + ex.getRequestPath()))));
    ClassLoader loader = Routes.class.getClassLoader();
    ResourceHandler swagger =
        new ResourceHandler(
            new ClassPathResourceManager(loader, SWAGGER_ROOT + Version.SWAGGER_UI + "/"));
    this.indexHtml = resource(loader, WEB_ROOT + "index.html");
    ResourceHandler web = new ResourceHandler(new ClassPathResourceManager(loader, WEB_ROOT));
    web.setCacheTime(300);
    swagger.setCacheTime(86_400);
    this.handler =
        Handlers.path(router)
            .addExactPath("/docs", tagged("/docs", this::swaggerPage))
            .addPrefixPath("/docs/", tagged("/docs/*", swagger))
            .addPrefixPath("/ui/", tagged("/ui/*", web));
  }

  HttpHandler handler() {
    return handler;
  }

  /** Every route as {@code METHOD /template}, for the check that the OpenAPI document has each. */
  java.util.Set<String> routes() {
    return java.util.Collections.unmodifiableSet(registered);
  }

  /** Routes cheap and non-blocking enough to answer on the I/O thread. */
  boolean answersOnIoThread(HttpServerExchange ex) {
    String p = ex.getRequestPath();
    return p.equals("/health/live") || p.equals("/v2/health/live");
  }

  // ---- registration -------------------------------------------------------------------------

  void get(String template, Route r) {
    add(Methods.GET, template, r, false);
  }

  void post(String template, Route r) {
    add(Methods.POST, template, r, false);
  }

  void put(String template, Route r) {
    add(Methods.PUT, template, r, false);
  }

  void add(HttpString method, String template, Route r, boolean v2Errors) {
    registered.add(method + " " + template);
    router.add(
        method,
        template,
        ex -> {
          ex.putAttachment(ServerMetrics.ROUTE, template);
          try {
            if (!OpenApi.OPEN.contains(template) && !(template.equals("/") && wantsPage(ex))) {
              // before the body is read: a client without the key costs no parsing
              requireKey(ex);
            }
            r.handle(ex);
          } catch (Throwable t) {
            fail(ex, t, v2Errors);
          }
        });
  }

  private static HttpHandler tagged(String route, HttpHandler h) {
    return ex -> {
      ex.putAttachment(ServerMetrics.ROUTE, route);
      h.handleRequest(ex);
    };
  }

  private void fail(HttpServerExchange ex, Throwable t, boolean v2Errors) {
    if (ex.isResponseStarted()) {
      // the answer was (partly) sent: a streamed answer broke half-way, or the client or the
      // server went away while it was written; all we can do is end the exchange
      log.debug(
          "{} {} failed after its answer started: {}",
          ex.getRequestMethod(),
          ex.getRequestPath(),
          t.toString());
      ex.setPersistent(false);
      ex.endExchange();
      return;
    }
    Problems.Problem p = Problems.of(t);
    countPredictionError(ex, p);
    if (v2Errors) {
      p.retryAfter().ifPresent(s -> ex.getResponseHeaders().put(Headers.RETRY_AFTER, s));
      Http.send(ex, p.status(), V2.error(p));
    } else {
      Http.sendProblem(ex, p);
    }
  }

  /** Routes that predict: their failures count in {@code augur_prediction_errors_total}. */
  static boolean predicts(String route) {
    return route != null
        && (route.endsWith("/predict")
            || route.endsWith("/invocations")
            || route.endsWith("/infer")
            || route.endsWith("/forecast"));
  }

  private void countPredictionError(HttpServerExchange ex, Problems.Problem p) {
    if (!predicts(ex.getAttachment(ServerMetrics.ROUTE))) {
      return;
    }
    // only a model the route resolved: a name from the URL alone would let clients mint series
    RequestContext.of(ex)
        .flatMap(RequestContext::model)
        .ifPresent(
            m ->
                metrics.predictionError(
                    m, p.title().toLowerCase(java.util.Locale.ROOT).replace(' ', '_')));
  }

  // ---- shared parsing ----------------------------------------------------------------------

  String model(HttpServerExchange ex) {
    String m = Http.pathParam(ex, "m");
    if (augur.models().find(m).isEmpty()) {
      // the registry says why: no such model, or (with --keep-going) it failed to load
      augur.models().predictor(m);
      throw new ModelNotFoundException(
          "no model named '" + m + "'; models: " + augur.models().names());
    }
    RequestContext.of(ex).ifPresent(c -> c.model(m));
    return m;
  }

  String defaultModel() {
    return augur.defaultModel().orElseThrow(() -> new ModelNotFoundException("no model is loaded"));
  }

  /** The default model, noted as the model of this request. */
  private String defaultModel(HttpServerExchange ex) {
    String m = defaultModel();
    RequestContext.of(ex).ifPresent(c -> c.model(m));
    return m;
  }

  private ModelManifest manifest(HttpServerExchange ex) {
    return augur.manifest(model(ex));
  }

  static Optional<String> version(HttpServerExchange ex) {
    return Http.param(ex, "version").filter(v -> !v.isBlank());
  }

  /** An observation from a JSON object. */
  static Observation observation(JsonNode node, String field) {
    if (!node.isObject()) {
      throw new InvalidInputException(field, "must be a JSON object of feature values");
    }
    return Observation.of(Json.toMap(node));
  }

  /** A JSON value as plain Java values (String, Number, Boolean, null, List, Map). */
  static Object toPlain(JsonNode node) {
    return node == null || node.isMissingNode()
        ? null
        : Json.mapper().convertValue(node, Object.class);
  }

  static Optional<Object> id(JsonNode body) {
    JsonNode id = body.get("id");
    if (id == null || id.isNull()) {
      return Optional.empty();
    }
    if (id.isTextual()) {
      return Optional.of(id.textValue());
    }
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return Optional.of(id.longValue());
    }
    throw new InvalidInputException("id", "must be a string or an integer");
  }

  JsonNode body(HttpServerExchange ex) {
    return Http.readJson(ex, settings.maxBodyBytes());
  }

  JsonNode objectBody(HttpServerExchange ex) {
    JsonNode b = body(ex);
    if (!b.isObject()) {
      throw HttpProblem.malformed("the body must be a JSON object");
    }
    return b;
  }

  /**
   * Checks the fields the model's schema does not name (kept with the record): at most {@code
   * limits.extra_fields_kib} of JSON per observation, else 422 naming the largest.
   *
   * @param where the field path of each observation ({@code observation}, {@code instances[3]})
   */
  void checkExtras(
      String model, List<Observation> obs, java.util.function.IntFunction<String> where) {
    long limit = settings.extraFieldBytes();
    java.util.Set<String> known = new java.util.HashSet<>();
    augur.manifest(model).inputs().features().forEach(f -> known.add(f.name()));
    for (int i = 0; i < obs.size(); i++) {
      long total = 0;
      String largest = null;
      long largestSize = -1;
      for (Map.Entry<String, Object> e : obs.get(i).values().entrySet()) {
        if (known.contains(e.getKey())) {
          continue;
        }
        long size = jsonSize(e.getKey()) + jsonSize(e.getValue()) + 1;
        total += size;
        if (size > largestSize) {
          largestSize = size;
          largest = e.getKey();
        }
      }
      if (total > limit) {
        throw new InvalidInputException(
            where.apply(i) + "." + largest,
            "is a field the model does not know, of "
                + kib(largestSize)
                + " of JSON; unknown fields may take "
                + kib(limit)
                + " per observation in all (limits.extra_fields_kib), these take "
                + kib(total));
      }
    }
  }

  private static String kib(long bytes) {
    return (bytes + 1023) / 1024 + " KiB";
  }

  private static long jsonSize(Object v) {
    try {
      return Json.mapper().writeValueAsBytes(v).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a prediction within the in-flight bound; beyond it, overload (503 + Retry-After). */
  <T> T limited(Supplier<T> work) {
    if (!permits.tryAcquire()) {
      throw new OverloadedException(
          "the server is at its limit of "
              + settings.maxInFlight()
              + " predictions in flight; retry shortly");
    }
    metrics.inFlight.incrementAndGet();
    try {
      return work.get();
    } finally {
      metrics.inFlight.decrementAndGet();
      permits.release();
    }
  }

  void counted(HttpServerExchange ex, List<PredictionRecord> rs) {
    if (!rs.isEmpty()) {
      PredictionRecord first = rs.get(0);
      metrics.predicted(first.model(), first.version(), rs.size());
      RequestContext.of(ex)
          .ifPresent(
              c -> {
                c.model(first.model());
                c.version(first.version());
              });
    }
  }

  // ---- routes ------------------------------------------------------------------------------

  private void welcome(HttpServerExchange ex) {
    // one URL, two representations: caches must not hand the page to the page's own JSON fetch
    ex.getResponseHeaders().put(Headers.VARY, "Accept");
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    if (wantsPage(ex)) {
      Http.sendBytes(ex, 200, "text/html; charset=utf-8", indexHtml);
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

  /** A browser asking for the page (open), not a client asking for the links (behind the key). */
  private static boolean wantsPage(HttpServerExchange ex) {
    String accept = ex.getRequestHeaders().getFirst(Headers.ACCEPT);
    return accept != null && accept.contains("text/html");
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

  private void predictBody(HttpServerExchange ex, String model) {
    JsonNode body = objectBody(ex);
    Optional<String> version = version(ex);
    JsonNode instances = body.get("instances");
    if (instances != null) {
      if (!instances.isArray() || instances.isEmpty() || instances.size() > MAX_INSTANCES) {
        throw new InvalidInputException(
            "instances", "must be an array of 1…" + MAX_INSTANCES + " observation objects");
      }
      List<Observation> obs = new ArrayList<>(instances.size());
      for (int i = 0; i < instances.size(); i++) {
        obs.add(observation(instances.get(i), "instances[" + i + "]"));
      }
      checkExtras(model, obs, i -> "instances[" + i + "]");
      List<PredictionRecord> rs = limited(() -> augur.predictBatch(model, version, obs));
      counted(ex, rs);
      Http.send(ex, 200, Views.predictions(rs));
      return;
    }
    Observation obs;
    JsonNode o = body.get("observation");
    if (o != null) {
      obs = observation(o, "observation");
    } else {
      // the tutorials' form: the features at top level, beside an optional id
      ObjectNode flat = ((ObjectNode) body).deepCopy();
      flat.remove("id");
      obs = observation(flat, "observation");
    }
    Optional<Object> id = id(body);
    checkExtras(model, List.of(obs), i -> "observation");
    PredictionRecord r = limited(() -> augur.predict(model, version, id, obs));
    counted(ex, List.of(r));
    Http.send(ex, 200, Views.prediction(r));
  }

  private void predictQuery(HttpServerExchange ex, String model) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, Deque<String>> e : ex.getQueryParameters().entrySet()) {
      if (!e.getKey().equals("id") && !e.getKey().equals("version") && !e.getValue().isEmpty()) {
        values.put(e.getKey(), e.getValue().getFirst());
      }
    }
    Optional<Object> id = Http.param(ex, "id").filter(s -> !s.isEmpty()).map(s -> s);
    Observation obs = Observation.ofStrings(values);
    checkExtras(model, List.of(obs), i -> "observation");
    PredictionRecord r = limited(() -> augur.predict(model, version(ex), id, obs));
    counted(ex, List.of(r));
    Http.send(ex, 200, Views.prediction(r));
  }

  private void outcome(HttpServerExchange ex) {
    String model = model(ex);
    JsonNode body = objectBody(ex);
    PredictionRecord r = augur.recordOutcome(model, Http.pathParam(ex, "id"), outcomeValue(body));
    Http.send(ex, 200, Views.record(r));
  }

  private void update(HttpServerExchange ex) {
    JsonNode body = objectBody(ex);
    JsonNode id = body.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
      throw new InvalidInputException("id", "is required: the id of the prediction");
    }
    Object outcome = outcomeValue(body);
    PredictionRecord r = augur.recordOutcome(defaultModel(), id.asText(), outcome);
    Map<String, Object> view = Views.record(r);
    view.put("true_class", outcome);
    Http.send(ex, 200, view);
  }

  private static Object outcomeValue(JsonNode body) {
    JsonNode v = body.has("outcome") ? body.get("outcome") : body.get("true_class");
    if (v == null || v.isNull()) {
      throw new InvalidInputException("outcome", "is required (or true_class)");
    }
    return Json.mapper().convertValue(v, Object.class);
  }

  private HistoryStore store() {
    return augur.history().orElseThrow(() -> HttpProblem.notFound("this server keeps no history"));
  }

  private void history(HttpServerExchange ex, String model) {
    int n = Http.intParam(ex, "n", 1, 10_000, 50);
    Optional<String> before = Http.param(ex, "before").filter(s -> !s.isEmpty());
    store();
    HistoryPage page;
    try {
      page = augur.history(model, n, before);
    } catch (InvalidInputException e) {
      if (e.violations().stream().anyMatch(v -> v.field().equals("before"))) {
        throw HttpProblem.badParameter("before", "before is not a cursor this server gave out");
      }
      throw e;
    }
    Http.send(ex, 200, Views.page(page));
  }

  private void oneRecord(HttpServerExchange ex) {
    String model = model(ex);
    String id = Http.pathParam(ex, "id");
    PredictionRecord r =
        store()
            .find(model, id)
            .orElseThrow(
                () ->
                    new RecordNotFoundException(
                        "model " + model + " has no prediction '" + id + "'"));
    Http.send(ex, 200, Views.record(r));
  }

  private void csv(HttpServerExchange ex) throws Exception {
    String model = model(ex);
    HistoryStore store = store();
    List<String> fields =
        augur.manifest(model).inputs().features().stream().map(Feature::name).toList();
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/csv; charset=utf-8");
    ex.getResponseHeaders()
        .put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"" + model + "-predictions.csv\"");
    try (Writer w = new OutputStreamWriter(ex.getOutputStream(), StandardCharsets.UTF_8)) {
      store.exportCsv(model, fields, w);
    }
  }

  private void quality(HttpServerExchange ex) {
    String model = model(ex);
    var window = Http.window(ex);
    store();
    Optional<String> version = Http.param(ex, "version").filter(v -> !v.isBlank());
    Http.send(
        ex,
        200,
        Views.quality(
            version.isPresent()
                ? augur.quality(model, version.get(), window)
                : augur.quality(model, window)));
  }

  private void drift(HttpServerExchange ex) {
    String model = model(ex);
    var query = DriftParams.query(ex);
    store();
    Http.send(ex, 200, DriftParams.view(augur.drift(model, query)));
  }

  private void forecast(HttpServerExchange ex) {
    String model = model(ex);
    String source =
        Http.param(ex, "source")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> HttpProblem.badParameter("source", "source is required"));
    String key =
        Http.param(ex, "key")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> HttpProblem.badParameter("key", "key is required"));
    ForecastResult r = limited(() -> augur.forecast(model, source, key));
    counted(ex, List.of(r.record()));
    charts.remember(r);
    String chart = "/models/" + model + "/forecasts/" + r.record().id() + ".png";
    Http.send(ex, 200, Views.forecast(r, chart));
  }

  private void reload(HttpServerExchange ex) {
    String m = Http.pathParam(ex, "m");
    augur.models().reload(m);
    Http.send(ex, 200, Views.model(augur.manifest(m), augur.models()));
  }

  private void plot(HttpServerExchange ex) {
    JsonNode body = objectBody(ex);
    ImageFormat format =
        Http.param(ex, "format")
            .map(
                f ->
                    ImageFormat.parse(f)
                        .orElseThrow(
                            () ->
                                HttpProblem.badParameter(
                                    "format", "format must be png, svg or jpeg")))
            .orElseGet(() -> fromAccept(ex));
    charts.send(ex, ChartSpecs.fromJson(body), format);
  }

  private static ImageFormat fromAccept(HttpServerExchange ex) {
    String accept = ex.getRequestHeaders().getFirst(Headers.ACCEPT);
    if (accept != null) {
      for (String part : accept.split(",")) {
        Optional<ImageFormat> f = ImageFormat.parse(part.split(";", 2)[0]);
        if (f.isPresent()) {
          return f.get();
        }
      }
    }
    return ImageFormat.PNG;
  }

  private void sources(HttpServerExchange ex) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : augur.sources().names()) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("name", name);
      try {
        source.put("keys", augur.sources().get(name).keys());
      } catch (DataSourceException e) {
        // one source that cannot list its keys now does not hide the others
        log.warn("source {} cannot list its keys: {}", name, e.getMessage());
        source.put("keys", null);
      }
      out.add(source);
    }
    Http.send(ex, 200, Map.of("sources", out));
  }

  private void keys(HttpServerExchange ex) {
    String s = Http.pathParam(ex, "s");
    Http.send(ex, 200, Map.of("source", s, "keys", augur.sources().get(s).keys()));
  }

  private void points(HttpServerExchange ex) {
    String s = Http.pathParam(ex, "s");
    String k = Http.pathParam(ex, "k");
    int n = Http.intParam(ex, "n", 1, 100_000, 30);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", s);
    out.put("key", k);
    out.put("points", Views.points(augur.sources().get(s).fetch(k, n)));
    Http.send(ex, 200, out);
  }

  private void swaggerPage(HttpServerExchange ex) {
    String html =
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Augur API</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" type="image/png" sizes="32x32" href="/docs/favicon-32x32.png">
        <link rel="stylesheet" href="/docs/swagger-ui.css"></head>
        <body><div id="swagger-ui"></div>
        <script src="/docs/swagger-ui-bundle.js"></script>
        <script>
        window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
        </script>
        </body></html>
        """;
    Http.sendText(ex, 200, "text/html; charset=utf-8", html);
  }

  private void prometheus(HttpServerExchange ex) {
    Http.sendText(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.registry().scrape());
  }

  private static byte[] resource(ClassLoader loader, String name) {
    try (java.io.InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- auth --------------------------------------------------------------------------------

  /** Checks the API key when one is configured: 401 when missing, 403 when wrong. */
  void requireKey(HttpServerExchange ex) {
    if (apiKeyHash == null) {
      return;
    }
    String given = ex.getRequestHeaders().getFirst("X-API-Key");
    String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    }
    if (given == null || given.isEmpty()) {
      ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
      throw new HttpProblem(
          401,
          "Unauthorized",
          "this route needs the API key: Authorization: Bearer <key> or X-API-Key");
    }
    // hashing first makes the comparison constant-time whatever the lengths
    if (!MessageDigest.isEqual(apiKeyHash, sha256(given))) {
      throw new HttpProblem(403, "Forbidden", "the API key is wrong");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
