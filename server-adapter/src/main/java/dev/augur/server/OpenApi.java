package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.model.ModelManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the running server, generated from the loaded models: every route
 * with its path and query parameters, each model's predict route with its input schema as JSON
 * Schema and the manifest's example, and, when an API key is configured, the security schemes and
 * the routes that need them. {@code servers} is relative, so the document works behind TLS and
 * proxies whatever Host header reaches the server.
 */
final class OpenApi {
  /**
   * Routes open without the API key (DESIGN "Access and limits"); {@code /} is open too when a
   * browser asks for the page ({@code Accept: text/html}), but its JSON needs the key.
   */
  static final Set<String> OPEN =
      Set.of(
          "/health/live",
          "/health/ready",
          "/ping",
          "/v2/health/live",
          "/v2/health/ready",
          "/openapi.json");

  private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z]+)}");

  private static final Map<String, String> PATH_PARAM_TEXT =
      Map.of(
          "m", "model name",
          "id", "prediction id",
          "s", "data source name",
          "k", "key of the data source",
          "v", "model version",
          "file", "chart file: KIND.png, KIND.svg or KIND.jpeg");

  private final Augur augur;
  private final boolean secured;

  OpenApi(Augur augur, boolean secured) {
    this.augur = augur;
    this.secured = secured;
  }

  /** A query parameter. */
  private record Param(String name, boolean required, Map<String, Object> schema, String text) {}

  /** One operation of the generic routes. */
  private record Op(
      String method,
      String path,
      String tag,
      String summary,
      Response ok,
      List<Param> query,
      Body body) {}

  /** What a 200 answers: a media type and a description. */
  private record Response(String type, String text) {}

  /** A request body: a media type, a schema and what it is. */
  private record Body(String type, Map<String, Object> schema, String text) {}

  private static Param integer(String name, int min, int max, int dflt, String text) {
    return new Param(
        name,
        false,
        Map.of("type", "integer", "minimum", min, "maximum", max, "default", dflt),
        text);
  }

  private static Param text(String name, boolean required, String text) {
    return new Param(name, required, Map.of("type", "string"), text);
  }

  private static final Param VERSION =
      text("version", false, "a model version; default: the model's default");
  private static final List<Param> DRIFT =
      List.of(
          text("from", false, "the compared window's start (ISO-8601 instant; default to - 24 h)"),
          text("to", false, "the compared window's end, exclusive (default now)"),
          text(
              "reference_from",
              false,
              "the reference window's start; without it the reference is profile.json"),
          text("reference_to", false, "the reference window's end (default: from)"),
          text("threshold", false, "PSI from which a feature counts as drifted (default 0.2)"),
          text("version", false, "only this version's predictions"));
  private static final Param N = integer("n", 1, 10_000, 50, "how many records");
  private static final Param BEFORE =
      text("before", false, "the cursor `next` of the previous page");
  private static final Param SHADOW =
      new Param(
          "shadow",
          false,
          Map.of("type", "boolean", "default", false),
          "true: the shadow version's predictions instead of the answered ones");
  private static final Param WINDOW =
      text("window", false, "only the last span of time: 24h, 7d, 2w or ISO-8601 such as PT30M");
  private static final Param ID = text("id", false, "the prediction id; generated when absent");
  private static final Param WIDTH = integer("width", 100, 4000, 800, "image width in pixels");
  private static final Param HEIGHT = integer("height", 100, 4000, 500, "image height in pixels");

  private static final Response JSON = new Response(Http.JSON, "");
  private static final Map<String, Object> OBJECT = Map.of("type", "object");

  private static Response json(String text) {
    return new Response(Http.JSON, text);
  }

  private static Body jsonBody(String text) {
    return new Body(Http.JSON, OBJECT, text);
  }

  private static final List<Op> GENERIC =
      List.of(
          new Op(
              "get",
              "/",
              "health",
              "Welcome: name, version, models and links (JSON), or the web page for a browser",
              json("the welcome"),
              List.of(),
              null),
          new Op("get", "/health/live", "health", "Liveness", json("live"), List.of(), null),
          new Op(
              "get",
              "/health/ready",
              "health",
              "Readiness: models loaded and history reachable",
              json("ready (503 when not)"),
              List.of(),
              null),
          new Op(
              "get",
              "/ping",
              "health",
              "Readiness, as SageMaker, TorchServe and MLflow probe it",
              json("ready (503 when not)"),
              List.of(),
              null),
          new Op(
              "get",
              "/metrics",
              "health",
              "Prometheus metrics",
              new Response("text/plain", "the exposition"),
              List.of(),
              null),
          new Op(
              "get",
              "/openapi.json",
              "health",
              "This document",
              json("OpenAPI 3.1"),
              List.of(),
              null),
          new Op(
              "get",
              "/models",
              "models",
              "List the models",
              json("name, version, versions, task, description"),
              List.of(),
              null),
          new Op(
              "get",
              "/models/{m}",
              "models",
              "A model's manifest, versions and input JSON Schema",
              json("the model"),
              List.of(),
              null),
          new Op(
              "post",
              "/models/{m}/predict",
              "models",
              "Predict: {\"observation\": {…}} (or {\"instances\": [{…}, …]} for a batch)",
              json("the prediction, answered once recorded"),
              List.of(VERSION),
              new Body(Http.JSON, predictBody(OBJECT), "an observation or instances")),
          new Op(
              "get",
              "/models/{m}/predict",
              "models",
              "Predict from query parameters, one per feature (an empty value is null)",
              json("the prediction"),
              List.of(ID, VERSION),
              null),
          new Op(
              "put",
              "/models/{m}/predictions/{id}/outcome",
              "history",
              "Record the true outcome of a prediction",
              json("the updated record"),
              List.of(),
              new Body(Http.JSON, outcomeBody(), "{\"outcome\": …}")),
          new Op(
              "get",
              "/models/{m}/predictions",
              "history",
              "Latest predictions, newest first",
              json("{items, next}"),
              List.of(N, BEFORE, SHADOW),
              null),
          new Op(
              "get",
              "/models/{m}/predictions/{id}",
              "history",
              "One prediction record",
              json("the record"),
              List.of(),
              null),
          new Op(
              "get",
              "/models/{m}/predictions.csv",
              "history",
              "Export the history as CSV",
              new Response("text/csv", "observation fields, prediction, outcome"),
              List.of(),
              null),
          new Op(
              "get",
              "/models/{m}/quality",
              "history",
              "Quality over labelled records (one version's with version)",
              json("{model, labelled, unlabelled, metrics}"),
              List.of(WINDOW, text("version", false, "only this version's predictions")),
              null),
          new Op(
              "get",
              "/models/{m}/drift",
              "history",
              "Input and prediction drift (PSI) of a window against a reference window or the"
                  + " training profile",
              json("{model, threshold, reference, current, features, drifted}"),
              DRIFT,
              null),
          new Op(
              "get",
              "/models/{m}/charts/{file}",
              "charts",
              "volume, scores, quality, calibration, confusion or drift chart",
              new Response("image/png", "the chart (image/svg+xml, image/jpeg by extension)"),
              List.of(
                  WIDTH,
                  HEIGHT,
                  WINDOW,
                  text("bucket", false, "time bucket of volume and quality charts, e.g. 1h or P1D"),
                  text("metric", false, "the metric of a quality chart"),
                  text(
                      "version",
                      false,
                      "quality and drift charts: only this version's predictions (its shadow"
                          + " predictions included)"),
                  integer("bins", 2, 50, 10, "bins of a calibration chart"),
                  text("from", false, "drift chart: the compared window's start (ISO-8601)"),
                  text("to", false, "drift chart: the compared window's end"),
                  text("reference_from", false, "drift chart: the reference window's start"),
                  text("reference_to", false, "drift chart: the reference window's end"),
                  text("threshold", false, "drift chart: the threshold line (default 0.2)")),
              null),
          new Op(
              "get",
              "/models/{m}/forecasts/{file}",
              "charts",
              "The chart of a forecast made by /forecast: ID.png",
              new Response("image/png", "the chart"),
              List.of(WIDTH, HEIGHT),
              null),
          new Op(
              "post",
              "/models/{m}/forecast",
              "sources",
              "Fetch a key from a data source, forecast, record",
              json("{id, key, history, forecast, chart}"),
              List.of(
                  text("source", true, "data source name"),
                  text("key", true, "key of the data source")),
              null),
          new Op(
              "post",
              "/models/{m}/invocations",
              "compatibility",
              "MLflow scoring protocol",
              json("{predictions}"),
              List.of(VERSION),
              jsonBody("dataframe_split, dataframe_records, instances or inputs")),
          new Op(
              "post",
              "/models/{m}/reload",
              "admin",
              "Reload a model's versions from disk",
              json("the model"),
              List.of(),
              null),
          new Op(
              "post",
              "/plot",
              "charts",
              "Render a chart spec",
              new Response("image/png", "the chart (the format from format or Accept)"),
              List.of(
                  new Param(
                      "format",
                      false,
                      Map.of("type", "string", "enum", List.of("png", "svg", "jpeg")),
                      "image format; default from Accept, else png")),
              jsonBody(
                  "a chart spec: {\"kind\": \"forecast\" | \"probabilities\" | \"line\" |"
                      + " \"histogram\", …}")),
          new Op("get", "/sources", "sources", "Data sources", json("{sources}"), List.of(), null),
          new Op(
              "get",
              "/sources/{s}/keys",
              "sources",
              "A data source's keys",
              json("{source, keys}"),
              List.of(),
              null),
          new Op(
              "get",
              "/sources/{s}/keys/{k}",
              "sources",
              "A key's latest points, oldest first",
              json("{source, key, points}"),
              List.of(integer("n", 1, 100_000, 30, "how many points")),
              null),
          new Op(
              "post",
              "/predict",
              "compatibility",
              "Predict with the default model (the tutorials' form: features at top level)",
              json("the prediction"),
              List.of(VERSION),
              jsonBody("the features, and an optional id")),
          new Op(
              "get",
              "/predict",
              "compatibility",
              "Predict with the default model from query parameters",
              json("the prediction"),
              List.of(ID, VERSION),
              null),
          new Op(
              "post",
              "/update",
              "compatibility",
              "Record an outcome of the default model: {id, true_class}",
              json("the record"),
              List.of(),
              jsonBody("{\"id\": …, \"true_class\": …}")),
          new Op(
              "get",
              "/history",
              "compatibility",
              "Latest predictions of the default model",
              json("{items, next}"),
              List.of(N, BEFORE, SHADOW),
              null),
          new Op(
              "post",
              "/invocations",
              "compatibility",
              "MLflow scoring protocol for the default model",
              json("{predictions}"),
              List.of(VERSION),
              jsonBody("dataframe_split, dataframe_records, instances or inputs")),
          new Op(
              "get",
              "/v2",
              "v2",
              "Open Inference Protocol: server metadata",
              JSON,
              List.of(),
              null),
          new Op(
              "get",
              "/v2/health/live",
              "v2",
              "Open Inference Protocol: liveness",
              JSON,
              List.of(),
              null),
          new Op(
              "get",
              "/v2/health/ready",
              "v2",
              "Open Inference Protocol: readiness",
              JSON,
              List.of(),
              null),
          new Op(
              "get",
              "/v2/models/{m}",
              "v2",
              "Open Inference Protocol: model metadata",
              JSON,
              List.of(),
              null),
          new Op(
              "get",
              "/v2/models/{m}/ready",
              "v2",
              "Open Inference Protocol: model readiness",
              JSON,
              List.of(),
              null),
          new Op(
              "post",
              "/v2/models/{m}/infer",
              "v2",
              "Open Inference Protocol: infer",
              json("outputs"),
              List.of(),
              jsonBody("{\"inputs\": [{name, shape, datatype, data}, …]}")),
          new Op(
              "get",
              "/v2/models/{m}/versions/{v}",
              "v2",
              "Open Inference Protocol: model version metadata",
              JSON,
              List.of(),
              null),
          new Op(
              "get",
              "/v2/models/{m}/versions/{v}/ready",
              "v2",
              "Open Inference Protocol: model version readiness",
              JSON,
              List.of(),
              null),
          new Op(
              "post",
              "/v2/models/{m}/versions/{v}/infer",
              "v2",
              "Open Inference Protocol: infer with a version",
              json("outputs"),
              List.of(),
              jsonBody("{\"inputs\": [{name, shape, datatype, data}, …]}")));

  /** The {@code method path} of every operation the document describes, for the route check. */
  static Set<String> operations() {
    Set<String> out = new TreeSet<>();
    for (Op op : GENERIC) {
      out.add(op.method().toUpperCase(java.util.Locale.ROOT) + " " + op.path());
    }
    return out;
  }

  Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "Augur",
            "version",
            Version.VALUE,
            "description",
            "Predictions, their durable history, live quality, charts and data sources. "
                + "Errors are application/problem+json (RFC 9457); on /v2 routes {\"error\": …}."
                + (secured
                    ? " Every route but the probes, the page and this document needs the API key:"
                        + " Authorization: Bearer <key> or X-API-Key."
                    : "")));
    // relative: the document works behind TLS and proxies, whatever Host header arrives
    doc.put("servers", List.of(Map.of("url", "/")));
    if (secured) {
      doc.put("security", List.of(Map.of("bearer", List.of()), Map.of("apiKey", List.of())));
    }
    Map<String, Object> paths = new LinkedHashMap<>();
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put("Problem", problem());
    schemas.put("V2Error", v2Error());
    schemas.put("Record", record());
    for (String name : augur.models().names()) {
      modelPaths(name, paths, schemas);
    }
    // the generic routes use {m}: a model's own paths above are concrete, so they never collide
    for (Op op : GENERIC) {
      item(paths, op.path()).put(op.method(), operation(op));
    }
    doc.put("paths", paths);
    Map<String, Object> components = new LinkedHashMap<>();
    components.put("schemas", schemas);
    if (secured) {
      components.put(
          "securitySchemes",
          Map.of(
              "bearer",
              Map.of(
                  "type",
                  "http",
                  "scheme",
                  "bearer",
                  "description",
                  "the API key as a bearer token"),
              "apiKey",
              Map.of("type", "apiKey", "in", "header", "name", "X-API-Key")));
    }
    doc.put("components", components);
    return doc;
  }

  /** A model's own predict and outcome routes, with its schema and example. */
  private void modelPaths(String name, Map<String, Object> paths, Map<String, Object> schemas) {
    ModelManifest m = augur.manifest(name);
    String obs = schemaName(name) + "Observation";
    Map<String, Object> input = new LinkedHashMap<>(m.inputs().jsonSchema());
    input.put("examples", List.of(m.exampleOrDefault().values()));
    schemas.put(obs, input);
    String base = "/models/" + name;
    Map<String, Object> example = Map.of("observation", m.exampleOrDefault().values());
    Op post =
        new Op(
            "post",
            base + "/predict",
            name,
            "Predict with " + name + " (" + m.task().id() + ")",
            json("the prediction, answered once recorded"),
            List.of(VERSION),
            null);
    Map<String, Object> postOp = operation(post);
    if (!m.description().isEmpty()) {
      postOp.put("description", m.description());
    }
    postOp.put(
        "requestBody",
        Map.of(
            "required",
            true,
            "content",
            Map.of(Http.JSON, Map.of("schema", predictBody(ref(obs)), "example", example))));
    item(paths, post.path()).put("post", postOp);

    // one query parameter per scalar feature, so "Try it out" fills a form
    List<Param> query = new ArrayList<>(List.of(ID, VERSION));
    // the schema maps are built in this class, so their shapes are known
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) input.get("properties");
    // as above: "required" is a list of names
    @SuppressWarnings("unchecked")
    List<String> required = (List<String>) input.get("required");
    for (Map.Entry<String, Object> p : props.entrySet()) {
      // as above: each property is a schema map
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) p.getValue();
      if (scalar(s.get("type")) && !p.getKey().equals("id") && !p.getKey().equals("version")) {
        Map<String, Object> schema = new LinkedHashMap<>(s);
        schema.remove("x-augur-type");
        query.add(new Param(p.getKey(), required.contains(p.getKey()), schema, null));
      }
    }
    Op get =
        new Op(
            "get",
            base + "/predict",
            name,
            "Predict with " + name + " from query parameters",
            json("the prediction"),
            query,
            null);
    item(paths, get.path()).put("get", operation(get));
    Op outcome =
        new Op(
            "put",
            base + "/predictions/{id}/outcome",
            name,
            "Record the true outcome of a prediction of " + name,
            json("the updated record"),
            List.of(),
            new Body(
                Http.JSON,
                outcomeBody(),
                "the label (or its index) for classifiers, a number for regression, an array for"
                    + " forecasts"));
    item(paths, outcome.path()).put("put", operation(outcome));
  }

  private static boolean scalar(Object type) {
    List<?> types = type instanceof List<?> l ? l : List.of(String.valueOf(type));
    return types.stream()
        .allMatch(t -> Set.of("string", "number", "integer", "boolean", "null").contains(t));
  }

  // the path items are maps put there by this method
  @SuppressWarnings("unchecked")
  private static Map<String, Object> item(Map<String, Object> paths, String path) {
    Map<String, Object> item =
        (Map<String, Object>) paths.computeIfAbsent(path, k -> new LinkedHashMap<String, Object>());
    List<Map<String, Object>> params = pathParams(path);
    if (!params.isEmpty()) {
      item.put("parameters", params);
    }
    return item;
  }

  private static List<Map<String, Object>> pathParams(String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    Matcher m = PATH_PARAM.matcher(path);
    while (m.find()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", m.group(1));
      p.put("in", "path");
      p.put("required", true);
      p.put("description", PATH_PARAM_TEXT.getOrDefault(m.group(1), m.group(1)));
      p.put("schema", Map.of("type", "string"));
      out.add(p);
    }
    return out;
  }

  private Map<String, Object> operation(Op op) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("tags", List.of(op.tag()));
    o.put("summary", op.summary());
    o.put("operationId", operationId(op));
    if (!op.query().isEmpty()) {
      List<Map<String, Object>> params = new ArrayList<>();
      for (Param q : op.query()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", q.name());
        p.put("in", "query");
        p.put("required", q.required());
        if (q.text() != null) {
          p.put("description", q.text());
        }
        p.put("schema", q.schema());
        params.add(p);
      }
      o.put("parameters", params);
    }
    if (op.body() != null) {
      o.put(
          "requestBody",
          Map.of(
              "required",
              true,
              "description",
              op.body().text(),
              "content",
              Map.of(op.body().type(), Map.of("schema", op.body().schema()))));
    }
    boolean open = OPEN.contains(op.path());
    if (secured && open) {
      o.put("security", List.of());
    }
    boolean v2 = op.path().startsWith("/v2");
    Map<String, Object> responses = new LinkedHashMap<>();
    Map<String, Object> ok = new LinkedHashMap<>();
    ok.put("description", op.ok().text().isEmpty() ? "OK" : op.ok().text());
    ok.put("content", Map.of(op.ok().type(), Map.of("schema", responseSchema(op.ok().type()))));
    responses.put("200", ok);
    List<String> codes = new ArrayList<>();
    if (!op.query().isEmpty() || op.body() != null) {
      codes.add("400");
    }
    if (secured && !open) {
      codes.addAll(List.of("401", "403"));
    }
    if (op.path().contains("{")) {
      codes.add("404");
    }
    if (op.body() != null) {
      codes.addAll(List.of("408", "413", "415", "422"));
    } else if (op.path().endsWith("/predict")) {
      codes.add("422");
    }
    codes.add("503");
    for (String code : codes) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("description", PROBLEM_TEXT.get(code));
      r.put(
          "content",
          v2
              ? Map.of(Http.JSON, Map.of("schema", ref("V2Error")))
              : Map.of(Http.PROBLEM_JSON, Map.of("schema", ref("Problem"))));
      responses.put(code, r);
    }
    o.put("responses", responses);
    return o;
  }

  private static Map<String, Object> responseSchema(String type) {
    return type.startsWith("image/")
        ? Map.of("type", "string", "contentMediaType", type)
        : type.equals(Http.JSON) ? OBJECT : Map.of("type", "string");
  }

  private static String operationId(Op op) {
    String p = op.path().equals("/") ? "root" : op.path().replaceAll("[^A-Za-z0-9]+", "_");
    return op.method() + p.replaceAll("_+$", "");
  }

  private static final Map<String, String> PROBLEM_TEXT =
      Map.of(
          "400", "malformed JSON or a bad parameter; the problem names it",
          "401", "the API key is missing",
          "403", "the API key is wrong",
          "404", "unknown model, version, record, source or key",
          "408", "the body did not arrive in time",
          "413", "the body is over the limit",
          "415", "the body is not JSON",
          "422", "the input breaks the model's schema; errors name each field",
          "503", "overloaded, or the history or a data source unavailable; see Retry-After");

  private static Map<String, Object> predictBody(Map<String, Object> observation) {
    return Map.of(
        "oneOf",
        List.of(
            Map.of(
                "type", "object",
                "required", List.of("observation"),
                "properties",
                    Map.of(
                        "id",
                        Map.of(
                            "type",
                            List.of("string", "integer"),
                            "description",
                            "optional; generated when absent"),
                        "observation",
                        observation)),
            Map.of(
                "type", "object",
                "required", List.of("instances"),
                "properties",
                    Map.of(
                        "instances",
                        Map.of(
                            "type",
                            "array",
                            "items",
                            observation,
                            "minItems",
                            1,
                            "maxItems",
                            Calls.MAX_INSTANCES)))));
  }

  private static Map<String, Object> outcomeBody() {
    return Map.of(
        "type",
        "object",
        "properties",
        Map.of(
            "outcome",
            Map.of("description", "the true outcome"),
            "true_class",
            Map.of("description", "the same, as the tutorials name it")));
  }

  private static Map<String, Object> ref(String schema) {
    return Map.of("$ref", "#/components/schemas/" + schema);
  }

  private static String schemaName(String model) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (int i = 0; i < model.length(); i++) {
      char c = model.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      } else {
        up = true;
      }
    }
    return b.toString();
  }

  private static Map<String, Object> problem() {
    return Map.of(
        "type",
        "object",
        "properties",
        Map.of(
            "type", Map.of("type", "string"),
            "title", Map.of("type", "string"),
            "status", Map.of("type", "integer"),
            "detail", Map.of("type", "string"),
            "incident", Map.of("type", "string"),
            "errors",
                Map.of(
                    "type",
                    "array",
                    "items",
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of(
                            "field",
                            Map.of("type", "string"),
                            "message",
                            Map.of("type", "string"))))));
  }

  private static Map<String, Object> v2Error() {
    return Map.of(
        "type",
        "object",
        "properties",
        Map.of("error", Map.of("type", "string"), "incident", Map.of("type", "string")));
  }

  private static Map<String, Object> record() {
    Map<String, Object> p = new LinkedHashMap<>();
    for (String f : List.of("id", "model", "version", "created_at", "outcome_at")) {
      p.put(f, Map.of("type", List.of("string", "null")));
    }
    p.put("observation", Map.of("type", "object"));
    p.put("prediction", Map.of("type", "object"));
    p.put("outcome", Map.of());
    p.put("latency_ms", Map.of("type", "number"));
    p.put(
        "shadow",
        Map.of(
            "type",
            "boolean",
            "description",
            "present (true) on a shadow version's prediction; absent on answered ones"));
    return Map.of("type", "object", "properties", p);
  }
}
