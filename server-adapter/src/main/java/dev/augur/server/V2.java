package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.Classification;
import dev.augur.core.Forecast;
import dev.augur.core.HistoryStore;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.core.Violation;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.schema.Feature;
import dev.augur.core.schema.ImageFeature;
import dev.augur.core.schema.SeriesFeature;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The KServe Open Inference Protocol v2: server and model metadata, health, readiness and {@code
 * infer}. Each schema feature is one input tensor named after it; errors take the protocol's own
 * {@code {"error": …}} form.
 */
final class V2 implements Service {
  private final Calls calls;
  private final Augur augur;

  V2(Calls calls) {
    this.calls = calls;
    this.augur = calls.augur();
  }

  @Override
  public void register(Router router) {
    router
        .errors(V2::sendError)
        .get("/v2", this::server)
        .get("/v2/health/live", ex -> Http.send(ex, 200, Map.of("live", true)))
        .get("/v2/health/ready", this::ready)
        .get("/v2/models/{m}", ex -> metadata(ex, Optional.empty()))
        .get("/v2/models/{m}/versions/{v}", ex -> metadata(ex, version(ex)))
        .get("/v2/models/{m}/ready", ex -> modelReady(ex, Optional.empty()))
        .get("/v2/models/{m}/versions/{v}/ready", ex -> modelReady(ex, version(ex)))
        .post("/v2/models/{m}/infer", ex -> infer(ex, Optional.empty()))
        .post("/v2/models/{m}/versions/{v}/infer", ex -> infer(ex, version(ex)));
  }

  /** A failure in the protocol's form: its status and Retry-After, and its error body. */
  private static void sendError(HttpServerExchange ex, Problems.Problem p) {
    p.retryAfter().ifPresent(s -> ex.getResponseHeaders().put(Headers.RETRY_AFTER, s));
    Http.send(ex, p.status(), error(p));
  }

  /** The protocol's error body: the detail, with the field errors spelled out. */
  static Map<String, Object> error(Problems.Problem p) {
    String msg =
        p.errors().isEmpty()
            ? p.detail()
            : p.errors().stream()
                .map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
    return p.incident().isPresent()
        ? Map.of("error", msg, "incident", p.incident().get())
        : Map.of("error", msg);
  }

  private static Optional<String> version(HttpServerExchange ex) {
    return Optional.of(Http.pathParam(ex, "v"));
  }

  private void server(HttpServerExchange ex) {
    Http.send(ex, 200, Map.of("name", "augur", "version", Version.VALUE, "extensions", List.of()));
  }

  private void ready(HttpServerExchange ex) {
    boolean ok = augur.history().map(HistoryStore::isAvailable).orElse(true);
    Http.send(ex, ok ? 200 : 503, Map.of("ready", ok));
  }

  private ModelManifest manifest(HttpServerExchange ex, Optional<String> version) {
    String m = calls.model(ex);
    return version
        .map(v -> augur.models().predictor(m, v).manifest())
        .orElseGet(() -> augur.manifest(m));
  }

  private void modelReady(HttpServerExchange ex, Optional<String> version) {
    ModelManifest m = manifest(ex, version);
    Http.send(ex, 200, Map.of("name", m.name(), "version", m.version(), "ready", true));
  }

  private void metadata(HttpServerExchange ex, Optional<String> version) {
    ModelManifest m = manifest(ex, version);
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (Feature f : m.inputs().features()) {
      inputs.add(tensor(f.name(), datatype(f), shape(f)));
    }
    List<Map<String, Object>> outputs = new ArrayList<>();
    if (m.task().isClassification()) {
      outputs.add(tensor("label", "BYTES", List.of(-1)));
      outputs.add(tensor("probabilities", "FP32", List.of(-1, m.output().labels().size())));
    } else if (m.task() == dev.augur.core.Task.REGRESSION) {
      outputs.add(tensor("value", "FP32", List.of(-1)));
    } else {
      outputs.add(tensor("values", "FP32", List.of(-1, m.output().horizon())));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", m.name());
    out.put("versions", augur.models().versions(m.name()));
    out.put("platform", m.engine().platform());
    out.put("inputs", inputs);
    out.put("outputs", outputs);
    Http.send(ex, 200, out);
  }

  private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("datatype", datatype);
    t.put("shape", shape);
    return t;
  }

  private static String datatype(Feature f) {
    return switch (f.type()) {
      case NUMBER -> "FP64";
      case INTEGER -> "INT64";
      case BOOLEAN -> "BOOL";
      case IMAGE, SERIES -> "FP32";
      default -> "BYTES";
    };
  }

  private static List<Integer> shape(Feature f) {
    if (f instanceof ImageFeature i) {
      return i.channels() == 1
          ? List.of(-1, i.height(), i.width())
          : List.of(-1, i.channels(), i.height(), i.width());
    }
    if (f instanceof SeriesFeature s) {
      return List.of(-1, s.window());
    }
    return List.of(-1);
  }

  private void infer(HttpServerExchange ex, Optional<String> version) {
    ModelManifest m = manifest(ex, version);
    JsonNode body = calls.objectBody(ex);
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw new InvalidInputException("inputs", "must be a non-empty array of input tensors");
    }
    Map<String, List<Object>> columns = new HashMap<>();
    int batch = -1;
    List<Violation> problems = new ArrayList<>();
    List<Violation> badShapes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode t = inputs.get(i);
      String where = "inputs[" + i + "]";
      String name = t.path("name").asText("");
      if (name.isEmpty() || m.inputs().feature(name).isEmpty()) {
        problems.add(new Violation(where + ".name", "must name a model input: " + inputNames(m)));
        continue;
      }
      // the declared shape is checked against the feature's before anything is built from it
      Optional<String> bad = checkShape(t.path("shape"), shape(m.inputs().feature(name).get()));
      if (bad.isPresent()) {
        badShapes.add(new Violation(name + ".shape", bad.get()));
        continue;
      }
      List<Integer> shape = new ArrayList<>();
      t.path("shape").forEach(d -> shape.add(d.intValue()));
      List<Object> flat = new ArrayList<>();
      flatten(Calls.toPlain(t.path("data")), flat);
      long expected = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
      if (flat.size() != expected) {
        problems.add(
            new Violation(
                name + ".data",
                "has " + flat.size() + " values; shape " + shape + " needs " + expected));
        continue;
      }
      if (batch >= 0 && shape.get(0) != batch) {
        problems.add(
            new Violation(
                name + ".shape",
                "batch size " + shape.get(0) + " differs from the other inputs' " + batch));
        continue;
      }
      batch = shape.get(0);
      columns.put(name, rows(flat, shape));
    }
    if (!badShapes.isEmpty()) {
      // a malformed request rather than an invalid observation: 400, naming each input
      throw new HttpProblem(
          400,
          "Bad request",
          badShapes.size() == 1
              ? badShapes.get(0).field() + " " + badShapes.get(0).message()
              : badShapes.size() + " input shapes are invalid",
          badShapes);
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    if (batch < 1 || batch > Calls.MAX_INSTANCES) {
      throw new InvalidInputException(
          "shape", "the batch size must be in 1…" + Calls.MAX_INSTANCES);
    }
    List<Observation> obs = new ArrayList<>(batch);
    for (int r = 0; r < batch; r++) {
      Map<String, Object> row = new HashMap<>();
      for (Map.Entry<String, List<Object>> c : columns.entrySet()) {
        row.put(c.getKey(), c.getValue().get(r));
      }
      obs.add(Observation.of(row));
    }
    String v = version.orElse(m.version());
    List<PredictionRecord> rs = calls.limited(() -> augur.predictBatch(m.name(), v, obs));
    calls.counted(ex, rs);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_name", m.name());
    out.put("model_version", m.version());
    JsonNode id = body.get("id");
    if (id != null && !id.isNull()) {
      out.put("id", id.asText());
    }
    out.put("outputs", outputs(m, rs));
    Http.send(ex, 200, out);
  }

  /**
   * Why a declared shape does not fit the feature's (rank, every dimension at least 1, the batch at
   * most {@link Calls#MAX_INSTANCES}, the other dimensions as the feature has them), if it does
   * not.
   */
  static Optional<String> checkShape(JsonNode declared, List<Integer> feature) {
    String expected =
        "must be "
            + feature.toString().replace("-1", "batch")
            + " with batch in 1…"
            + Calls.MAX_INSTANCES;
    if (!declared.isArray() || declared.isEmpty()) {
      return Optional.of("is required: " + expected);
    }
    if (declared.size() != feature.size()) {
      return Optional.of("has rank " + declared.size() + "; it " + expected);
    }
    for (int d = 0; d < declared.size(); d++) {
      JsonNode n = declared.get(d);
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1) {
        return Optional.of("dimension " + d + " is " + n + "; it " + expected);
      }
      int want = feature.get(d);
      if (d == 0 ? n.intValue() > Calls.MAX_INSTANCES : n.intValue() != want) {
        return Optional.of("dimension " + d + " is " + n + "; it " + expected);
      }
    }
    return Optional.empty();
  }

  private static String inputNames(ModelManifest m) {
    return m.inputs().features().stream().map(Feature::name).toList().toString();
  }

  private static void flatten(Object o, List<Object> out) {
    if (o instanceof List<?> l) {
      for (Object x : l) {
        flatten(x, out);
      }
    } else {
      out.add(o);
    }
  }

  /** Splits row-major data into one value per instance, nested by the remaining dimensions. */
  private static List<Object> rows(List<Object> flat, List<Integer> shape) {
    int per = 1;
    for (int d = 1; d < shape.size(); d++) {
      per *= shape.get(d);
    }
    List<Object> out = new ArrayList<>(shape.get(0));
    for (int r = 0; r < shape.get(0); r++) {
      List<Object> chunk = flat.subList(r * per, (r + 1) * per);
      out.add(shape.size() == 1 ? chunk.get(0) : nest(chunk, shape.subList(1, shape.size())));
    }
    return out;
  }

  private static Object nest(List<Object> flat, List<Integer> dims) {
    if (dims.size() == 1) {
      return new ArrayList<>(flat);
    }
    int inner = flat.size() / dims.get(0);
    List<Object> out = new ArrayList<>(dims.get(0));
    for (int i = 0; i < dims.get(0); i++) {
      out.add(nest(flat.subList(i * inner, (i + 1) * inner), dims.subList(1, dims.size())));
    }
    return out;
  }

  private static List<Map<String, Object>> outputs(ModelManifest m, List<PredictionRecord> rs) {
    int n = rs.size();
    List<Map<String, Object>> out = new ArrayList<>();
    if (m.task().isClassification()) {
      List<String> labels = m.output().labels();
      List<Object> names = new ArrayList<>(n);
      List<Object> probs = new ArrayList<>(n * labels.size());
      for (PredictionRecord r : rs) {
        Classification c = (Classification) r.prediction();
        names.add(c.label());
        for (String l : labels) {
          probs.add(c.probabilities().get(l));
        }
      }
      out.add(data(tensor("label", "BYTES", List.of(n)), names));
      out.add(data(tensor("probabilities", "FP32", List.of(n, labels.size())), probs));
    } else if (m.task() == dev.augur.core.Task.REGRESSION) {
      out.add(
          data(
              tensor("value", "FP32", List.of(n)),
              rs.stream().map(r -> (Object) ((Regression) r.prediction()).value()).toList()));
    } else {
      List<Object> vals = new ArrayList<>();
      for (PredictionRecord r : rs) {
        vals.addAll(((Forecast) r.prediction()).values());
      }
      out.add(data(tensor("values", "FP32", List.of(n, m.output().horizon())), vals));
    }
    return out;
  }

  private static Map<String, Object> data(Map<String, Object> t, List<Object> data) {
    t.put("data", data);
    return t;
  }
}
