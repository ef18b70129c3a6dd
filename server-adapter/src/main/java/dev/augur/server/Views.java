package dev.augur.server;

import dev.augur.core.ForecastResult;
import dev.augur.core.Outcome;
import dev.augur.core.PredictionRecord;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.history.QualityReport;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.ModelRegistry;
import dev.augur.core.source.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the HTTP API; field names are part of the contract (DESIGN.md). */
final class Views {
  private Views() {}

  /** A prediction: one flat object with the task fields at top level. */
  static Map<String, Object> prediction(PredictionRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("model", r.model());
    m.put("version", r.version());
    m.putAll(r.prediction().fields());
    m.put("latency_ms", round(r.latencyMs()));
    return m;
  }

  static Map<String, Object> predictions(List<PredictionRecord> rs) {
    return Map.of("predictions", rs.stream().map(Views::prediction).toList());
  }

  /** A history record. */
  static Map<String, Object> record(PredictionRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("model", r.model());
    m.put("version", r.version());
    m.put("created_at", r.createdAt().toString());
    m.put("observation", r.observation().values());
    m.put("prediction", r.prediction().fields());
    m.put("outcome", r.outcome().map(Outcome::toJson).orElse(null));
    m.put("outcome_at", r.outcomeAt().map(Object::toString).orElse(null));
    m.put("latency_ms", round(r.latencyMs()));
    if (r.shadow()) {
      m.put("shadow", true);
    }
    return m;
  }

  static Map<String, Object> page(HistoryPage p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", p.items().stream().map(Views::record).toList());
    m.put("next", p.next().orElse(null));
    return m;
  }

  static Map<String, Object> quality(QualityReport q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", q.model());
    m.put("labelled", q.labelled());
    m.put("unlabelled", q.unlabelled());
    m.put("metrics", q.metrics());
    return m;
  }

  /** A model: the manifest's fields plus {@code versions} and {@code input_schema}. */
  static Map<String, Object> model(ModelManifest m, ModelRegistry registry) {
    Map<String, Object> out = new LinkedHashMap<>(m.raw());
    out.put("name", m.name());
    out.put("version", m.version());
    out.put("task", m.task().id());
    out.put("versions", registry.versions(m.name()));
    out.put("input_schema", m.inputs().jsonSchema());
    out.put("example", m.exampleOrDefault().values());
    return out;
  }

  /** The model versions that failed to load (with {@code --keep-going}), each with its error. */
  static List<Map<String, Object>> broken(ModelRegistry registry) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ModelRegistry.LoadFailure f : registry.failures()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("model", f.model());
      b.put("version", f.version());
      b.put("error", f.error());
      out.add(b);
    }
    return out;
  }

  static Map<String, Object> point(Point p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", p.t() instanceof Number ? p.t() : p.t().toString());
    m.put("y", p.y());
    return m;
  }

  static List<Map<String, Object>> points(List<Point> ps) {
    return ps.stream().map(Views::point).toList();
  }

  static Map<String, Object> forecast(ForecastResult r, String chartUrl) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.record().id());
    m.put("model", r.record().model());
    m.put("version", r.record().version());
    m.put("source", r.source());
    m.put("key", r.key());
    m.put("history", points(r.history()));
    m.put("forecast", points(r.forecast()));
    m.put("chart", chartUrl);
    return m;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
