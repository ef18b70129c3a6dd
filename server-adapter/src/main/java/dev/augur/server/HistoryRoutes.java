package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.InvalidInputException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.history.HistoryQuery;
import dev.augur.core.history.QualityQuery;
import dev.augur.core.schema.Feature;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history routes: the recorded predictions (a page, one, a CSV export), their outcomes ({@code
 * PUT …/outcome} and the tutorials' {@code /update}), quality and drift.
 */
final class HistoryRoutes implements Service {
  private final Calls calls;
  private final Augur augur;

  HistoryRoutes(Calls calls) {
    this.calls = calls;
    this.augur = calls.augur();
  }

  @Override
  public void register(Router r) {
    r.put("/models/{m}/predictions/{id}/outcome", this::outcome)
        .get("/models/{m}/predictions", ex -> history(ex, calls.model(ex)))
        .get("/models/{m}/predictions.csv", this::csv)
        .get("/models/{m}/predictions/{id}", this::oneRecord)
        .get("/models/{m}/quality", this::quality)
        .get("/models/{m}/drift", this::drift)
        // the tutorials' routes, for the default model
        .post("/update", this::update)
        .get("/history", ex -> history(ex, calls.defaultModel()));
  }

  private void outcome(HttpServerExchange ex) {
    String model = calls.model(ex);
    JsonNode body = calls.objectBody(ex);
    PredictionRecord r = augur.recordOutcome(model, Http.pathParam(ex, "id"), outcomeValue(body));
    Http.send(ex, 200, Views.record(r));
  }

  private void update(HttpServerExchange ex) {
    JsonNode body = calls.objectBody(ex);
    JsonNode id = body.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
      throw new InvalidInputException("id", "is required: the id of the prediction");
    }
    Object outcome = outcomeValue(body);
    PredictionRecord r = augur.recordOutcome(calls.defaultModel(), id.asText(), outcome);
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

  private void history(HttpServerExchange ex, String model) {
    int n = Http.intParam(ex, "n", 1, 10_000, 50);
    Optional<String> before = Http.param(ex, "before").filter(s -> !s.isEmpty());
    calls.requireHistory();
    HistoryPage page;
    try {
      page = augur.history(model, new HistoryQuery(n, before, shadow(ex)));
    } catch (InvalidInputException e) {
      if (e.violations().stream().anyMatch(v -> v.field().equals("before"))) {
        throw HttpProblem.badParameter("before", "before is not a cursor this server gave out");
      }
      throw e;
    }
    Http.send(ex, 200, Views.page(page));
  }

  /** {@code ?shadow=true}: the shadow version's predictions instead of the answered ones. */
  private static boolean shadow(HttpServerExchange ex) {
    String v = Http.param(ex, "shadow").orElse("false");
    return switch (v) {
      case "true" -> true;
      case "false", "" -> false;
      default -> throw HttpProblem.badParameter("shadow", "shadow must be true or false");
    };
  }

  private void oneRecord(HttpServerExchange ex) {
    String model = calls.model(ex);
    String id = Http.pathParam(ex, "id");
    PredictionRecord r =
        calls
            .requireHistory()
            .find(model, id)
            .orElseThrow(
                () ->
                    new RecordNotFoundException(
                        "model " + model + " has no prediction '" + id + "'"));
    Http.send(ex, 200, Views.record(r));
  }

  private void csv(HttpServerExchange ex) throws Exception {
    String model = calls.model(ex);
    HistoryStore store = calls.requireHistory();
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
    String model = calls.model(ex);
    var window = Http.window(ex);
    calls.requireHistory();
    Optional<String> version = Calls.version(ex);
    Http.send(ex, 200, Views.quality(augur.quality(model, new QualityQuery(window, version))));
  }

  private void drift(HttpServerExchange ex) {
    String model = calls.model(ex);
    var query = DriftParams.query(ex);
    calls.requireHistory();
    Http.send(ex, 200, DriftParams.view(augur.drift(model, query)));
  }
}
