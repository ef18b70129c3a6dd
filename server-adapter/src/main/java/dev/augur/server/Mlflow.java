package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.Classification;
import dev.augur.core.Forecast;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.core.schema.Feature;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow's scoring protocol ({@code mlflow models serve}): {@code dataframe_split}, {@code
 * dataframe_records}, {@code instances} and {@code inputs} bodies, answered as {@code
 * {"predictions": […]}} with one value per row — the label, the value or the forecast — as an
 * MLflow pyfunc model answers. Every row is recorded in the history.
 */
final class Mlflow implements Service {
  private final Calls calls;
  private final Augur augur;

  Mlflow(Calls calls) {
    this.calls = calls;
    this.augur = calls.augur();
  }

  @Override
  public void register(Router r) {
    r.post("/models/{m}/invocations", ex -> invocations(ex, calls.model(ex)))
        .post("/invocations", ex -> invocations(ex, calls.defaultModel(ex)));
  }

  private void invocations(HttpServerExchange ex, String model) {
    JsonNode body = calls.body(ex);
    List<String> featureNames =
        augur.manifest(model).inputs().features().stream().map(Feature::name).toList();
    List<Observation> rows = rows(body, featureNames);
    if (rows.isEmpty() || rows.size() > Calls.MAX_INSTANCES) {
      throw new InvalidInputException("data", "must hold 1…" + Calls.MAX_INSTANCES + " rows");
    }
    calls.checkExtras(model, rows, i -> "rows[" + i + "]");
    List<PredictionRecord> rs = calls.predictBatch(model, Calls.version(ex), rows);
    calls.counted(ex, rs);
    Http.send(ex, 200, Map.of("predictions", rs.stream().map(r -> value(r.prediction())).toList()));
  }

  private static Object value(Prediction p) {
    if (p instanceof Classification c) {
      return c.label();
    }
    if (p instanceof Regression r) {
      return r.value();
    }
    return ((Forecast) p).values();
  }

  static List<Observation> rows(JsonNode body, List<String> featureNames) {
    if (body.isArray()) {
      return records(body, "dataframe_records", featureNames);
    }
    if (!body.isObject()) {
      throw HttpProblem.malformed(
          "the body must be a JSON object with dataframe_split, dataframe_records, instances or"
              + " inputs");
    }
    if (body.has("dataframe_split")) {
      return split(body.get("dataframe_split"));
    }
    if (body.has("dataframe_records")) {
      return records(body.get("dataframe_records"), "dataframe_records", featureNames);
    }
    if (body.has("instances")) {
      return records(body.get("instances"), "instances", featureNames);
    }
    if (body.has("inputs")) {
      JsonNode in = body.get("inputs");
      return in.isObject() ? columns(in) : records(in, "inputs", featureNames);
    }
    throw new InvalidInputException(
        "body", "must have one of dataframe_split, dataframe_records, instances or inputs");
  }

  private static List<Observation> split(JsonNode s) {
    JsonNode cols = s.get("columns");
    JsonNode data = s.get("data");
    if (cols == null || !cols.isArray() || data == null || !data.isArray()) {
      throw new InvalidInputException(
          "dataframe_split", "must have \"columns\" (names) and \"data\" (rows) arrays");
    }
    List<Observation> out = new ArrayList<>();
    for (int r = 0; r < data.size(); r++) {
      JsonNode row = data.get(r);
      if (!row.isArray() || row.size() != cols.size()) {
        throw new InvalidInputException(
            "dataframe_split.data[" + r + "]",
            "must be an array of " + cols.size() + " values, one per column");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      for (int c = 0; c < cols.size(); c++) {
        m.put(cols.get(c).asText(), Calls.toPlain(row.get(c)));
      }
      out.add(Observation.of(m));
    }
    return out;
  }

  private static List<Observation> records(JsonNode a, String field, List<String> featureNames) {
    if (!a.isArray()) {
      throw new InvalidInputException(field, "must be an array of rows");
    }
    List<Observation> out = new ArrayList<>();
    for (int r = 0; r < a.size(); r++) {
      JsonNode row = a.get(r);
      if (row.isObject()) {
        out.add(Observation.of(Json.toMap(row)));
      } else if (row.isArray() && row.size() == featureNames.size()) {
        // a positional row, in the model's input order
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < featureNames.size(); c++) {
          m.put(featureNames.get(c), Calls.toPlain(row.get(c)));
        }
        out.add(Observation.of(m));
      } else {
        throw new InvalidInputException(
            field + "[" + r + "]",
            "must be an object of feature values or an array of "
                + featureNames.size()
                + " values in input order");
      }
    }
    return out;
  }

  private static List<Observation> columns(JsonNode in) {
    Map<String, List<Object>> cols = new LinkedHashMap<>();
    int n = -1;
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      if (!e.getValue().isArray()) {
        throw new InvalidInputException(
            "inputs." + e.getKey(), "must be an array, one value per row");
      }
      if (n >= 0 && e.getValue().size() != n) {
        throw new InvalidInputException(
            "inputs." + e.getKey(),
            "has " + e.getValue().size() + " values; other columns have " + n);
      }
      n = e.getValue().size();
      List<Object> vals = new ArrayList<>();
      e.getValue().forEach(v -> vals.add(Calls.toPlain(v)));
      cols.put(e.getKey(), vals);
    }
    List<Observation> out = new ArrayList<>();
    for (int r = 0; r < Math.max(n, 0); r++) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, List<Object>> c : cols.entrySet()) {
        m.put(c.getKey(), c.getValue().get(r));
      }
      out.add(Observation.of(m));
    }
    return out;
  }
}
