package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.Augur;
import dev.augur.core.ForecastResult;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.PredictionRequest;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prediction routes: {@code /models/{m}/predict} (a JSON body or query parameters), the
 * tutorials' {@code /predict} for the default model, and {@code /models/{m}/forecast} from a data
 * source.
 */
final class PredictionRoutes implements Service {
  private final Calls calls;
  private final Augur augur;
  private final RecentForecasts forecasts;

  PredictionRoutes(Calls calls, RecentForecasts forecasts) {
    this.calls = calls;
    this.augur = calls.augur();
    this.forecasts = forecasts;
  }

  @Override
  public void register(Router r) {
    r.post("/models/{m}/predict", ex -> predictBody(ex, calls.model(ex)))
        .get("/models/{m}/predict", ex -> predictQuery(ex, calls.model(ex)))
        .post("/models/{m}/forecast", this::forecast)
        // the tutorials' routes, for the default model
        .post("/predict", ex -> predictBody(ex, calls.defaultModel(ex)))
        .get("/predict", ex -> predictQuery(ex, calls.defaultModel(ex)));
  }

  private void predictBody(HttpServerExchange ex, String model) {
    JsonNode body = calls.objectBody(ex);
    Optional<String> version = Calls.version(ex);
    JsonNode instances = body.get("instances");
    if (instances != null) {
      if (!instances.isArray() || instances.isEmpty() || instances.size() > Calls.MAX_INSTANCES) {
        throw new InvalidInputException(
            "instances", "must be an array of 1…" + Calls.MAX_INSTANCES + " observation objects");
      }
      List<Observation> obs = new ArrayList<>(instances.size());
      for (int i = 0; i < instances.size(); i++) {
        obs.add(Calls.observation(instances.get(i), "instances[" + i + "]"));
      }
      calls.checkExtras(model, obs, i -> "instances[" + i + "]");
      List<PredictionRecord> rs = calls.predictBatch(model, version, obs);
      calls.counted(ex, rs);
      Http.send(ex, 200, Views.predictions(rs));
      return;
    }
    Observation obs;
    JsonNode o = body.get("observation");
    if (o != null) {
      obs = Calls.observation(o, "observation");
    } else {
      // the tutorials' form: the features at top level, beside an optional id
      ObjectNode flat = ((ObjectNode) body).deepCopy();
      flat.remove("id");
      obs = Calls.observation(flat, "observation");
    }
    Optional<Object> id = Calls.id(body);
    calls.checkExtras(model, List.of(obs), i -> "observation");
    PredictionRequest request = new PredictionRequest(version, id);
    PredictionRecord r = calls.limited(() -> augur.predict(model, request, obs));
    calls.counted(ex, List.of(r));
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
    calls.checkExtras(model, List.of(obs), i -> "observation");
    PredictionRequest request = new PredictionRequest(Calls.version(ex), id);
    PredictionRecord r = calls.limited(() -> augur.predict(model, request, obs));
    calls.counted(ex, List.of(r));
    Http.send(ex, 200, Views.prediction(r));
  }

  private void forecast(HttpServerExchange ex) {
    String model = calls.model(ex);
    String source =
        Http.param(ex, "source")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> HttpProblem.badParameter("source", "source is required"));
    String key =
        Http.param(ex, "key")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> HttpProblem.badParameter("key", "key is required"));
    ForecastResult r = calls.limited(() -> augur.forecast(model, source, key));
    calls.counted(ex, List.of(r.record()));
    forecasts.remember(r);
    String chart = "/models/" + model + "/forecasts/" + r.record().id() + ".png";
    Http.send(ex, 200, Views.forecast(r, chart));
  }
}
