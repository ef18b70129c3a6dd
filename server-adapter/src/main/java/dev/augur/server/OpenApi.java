package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.model.ModelManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of the running server, generated from the loaded models: each model's
 * predict route carries its input schema as JSON Schema, with the manifest's example.
 */
final class OpenApi {
  private final Augur augur;

  OpenApi(Augur augur) {
    this.augur = augur;
  }

  Map<String, Object> document(String baseUrl) {
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
                + "Errors are application/problem+json (RFC 9457)."));
    doc.put("servers", List.of(Map.of("url", baseUrl)));
    Map<String, Object> paths = new LinkedHashMap<>();
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put("Problem", problem());
    schemas.put("Record", record());
    for (String name : augur.models().names()) {
      ModelManifest m = augur.manifest(name);
      String obs = schemaName(name) + "Observation";
      Map<String, Object> input = new LinkedHashMap<>(m.inputs().jsonSchema());
      input.put("example", m.exampleOrDefault().values());
      schemas.put(obs, input);
      Map<String, Object> predictBody =
          Map.of(
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
                              "observation", ref(obs))),
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
                                  ref(obs),
                                  "maxItems",
                                  Routes.MAX_INSTANCES)))));
      Map<String, Object> example = Map.of("observation", m.exampleOrDefault().values());
      paths.put(
          "/models/" + name + "/predict",
          Map.of(
              "post",
              operation(
                  name,
                  "Predict with " + name + " (" + m.task().id() + ")",
                  m.description(),
                  Map.of(
                      "required",
                      true,
                      "content",
                      Map.of(
                          "application/json", Map.of("schema", predictBody, "example", example))),
                  "the prediction, answered once recorded")));
      paths.put(
          "/models/" + name + "/predictions/{id}/outcome",
          Map.of(
              "put",
              operation(
                  name,
                  "Record the true outcome of a prediction",
                  "The label (or its index) for classifiers, a number for regression, an array for forecasts.",
                  Map.of(
                      "required",
                      true,
                      "content",
                      Map.of(
                          "application/json",
                          Map.of(
                              "schema",
                              Map.of(
                                  "type", "object", "properties", Map.of("outcome", Map.of()))))),
                  "the updated record")));
    }
    // the generic routes use {m}, so they never collide with a model's own paths
    for (String[] r : GENERIC) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>)
              paths.computeIfAbsent(r[1], k -> new LinkedHashMap<String, Object>());
      item.put(r[0], operation(r[2], r[3], "", null, r[4]));
    }
    doc.put("paths", paths);
    doc.put(
        "components",
        Map.of(
            "schemas",
            schemas,
            "securitySchemes",
            Map.of(
                "bearer", Map.of("type", "http", "scheme", "bearer"),
                "apiKey", Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"))));
    return doc;
  }

  private static final String[][] GENERIC = {
    {"get", "/models", "models", "List the models", "name, version, versions, task, description"},
    {
      "get",
      "/models/{m}",
      "models",
      "A model's manifest, versions and input JSON Schema",
      "the model"
    },
    {
      "get",
      "/models/{m}/predict",
      "models",
      "Predict from query parameters (an empty value is null)",
      "the prediction"
    },
    {
      "get",
      "/models/{m}/predictions",
      "history",
      "Latest predictions, newest first (n, before)",
      "{items, next}"
    },
    {"get", "/models/{m}/predictions/{id}", "history", "One prediction record", "the record"},
    {"get", "/models/{m}/predictions.csv", "history", "Export the history as CSV", "text/csv"},
    {
      "get",
      "/models/{m}/quality",
      "history",
      "Quality over labelled records (window)",
      "{model, labelled, unlabelled, metrics}"
    },
    {
      "get",
      "/models/{m}/charts/{file}",
      "charts",
      "volume, scores, quality, calibration or confusion as .png/.svg/.jpeg",
      "an image"
    },
    {
      "post",
      "/models/{m}/forecast",
      "sources",
      "Fetch a key from a source, forecast, record (source, key)",
      "{id, key, history, forecast, chart}"
    },
    {
      "post", "/models/{m}/invocations", "compatibility", "MLflow scoring protocol", "{predictions}"
    },
    {
      "post",
      "/models/{m}/reload",
      "admin",
      "Reload a model's versions from disk (API key)",
      "the model"
    },
    {"post", "/plot", "charts", "Render a chart spec (format=png|svg|jpeg)", "an image"},
    {"get", "/sources", "sources", "Data sources", "{sources}"},
    {"get", "/sources/{s}/keys", "sources", "A source's keys", "{source, keys}"},
    {"get", "/sources/{s}/keys/{k}", "sources", "A key's latest points (n)", "{key, points}"},
    {
      "post",
      "/predict",
      "compatibility",
      "Predict with the default model (tutorial form)",
      "the prediction"
    },
    {
      "get",
      "/predict",
      "compatibility",
      "Predict with the default model from query parameters",
      "the prediction"
    },
    {
      "post",
      "/update",
      "compatibility",
      "Record an outcome: {id, true_class} (API key)",
      "the record"
    },
    {
      "get",
      "/history",
      "compatibility",
      "Latest predictions of the default model (n)",
      "{items, next}"
    },
    {
      "post",
      "/invocations",
      "compatibility",
      "MLflow scoring protocol for the default model",
      "{predictions}"
    },
    {"get", "/health/live", "health", "Liveness", "live"},
    {
      "get",
      "/health/ready",
      "health",
      "Readiness: models loaded and history reachable",
      "ready, or 503"
    },
    {"get", "/metrics", "health", "Prometheus metrics", "text"},
    {"get", "/v2", "v2", "Open Inference Protocol: server metadata", "metadata"},
    {"get", "/v2/models/{m}", "v2", "Open Inference Protocol: model metadata", "metadata"},
    {"post", "/v2/models/{m}/infer", "v2", "Open Inference Protocol: infer", "outputs"},
  };

  private static Map<String, Object> operation(
      String tag, String summary, String description, Map<String, Object> body, String ok) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("tags", List.of(tag));
    op.put("summary", summary);
    if (description != null && !description.isEmpty()) {
      op.put("description", description);
    }
    if (body != null) {
      op.put("requestBody", body);
    }
    Map<String, Object> problem =
        Map.of("content", Map.of("application/problem+json", Map.of("schema", ref("Problem"))));
    Map<String, Object> responses = new LinkedHashMap<>();
    responses.put("200", Map.of("description", ok));
    for (String code : List.of("400", "404", "422", "503")) {
      Map<String, Object> r = new LinkedHashMap<>(problem);
      r.put("description", PROBLEM_TEXT.get(code));
      responses.put(code, r);
    }
    op.put("responses", responses);
    return op;
  }

  private static final Map<String, String> PROBLEM_TEXT =
      Map.of(
          "400", "malformed JSON or a bad parameter",
          "404", "unknown model, record, source or key",
          "422", "the observation breaks the model's schema; errors name each field",
          "503", "overloaded or history unavailable; see Retry-After");

  private static Map<String, Object> ref(String schema) {
    return Map.of("$ref", "#/components/schemas/" + schema);
  }

  private static String schemaName(String model) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (char c : model.toCharArray()) {
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

  private static Map<String, Object> record() {
    Map<String, Object> p = new LinkedHashMap<>();
    for (String f : List.of("id", "model", "version", "created_at", "outcome_at")) {
      p.put(f, Map.of("type", List.of("string", "null")));
    }
    p.put("observation", Map.of("type", "object"));
    p.put("prediction", Map.of("type", "object"));
    p.put("outcome", Map.of());
    p.put("latency_ms", Map.of("type", "number"));
    return Map.of("type", "object", "properties", p);
  }
}
