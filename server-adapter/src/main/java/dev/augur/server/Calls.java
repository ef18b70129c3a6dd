package dev.augur.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.InvalidInputException;
import dev.augur.core.ModelNotFoundException;
import dev.augur.core.Observation;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.model.ModelManifest;
import io.undertow.server.HttpServerExchange;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What the route areas share, so that none calls into another: the model a request names, its body,
 * its observations, the bound on predictions in flight and the count of predictions made.
 *
 * <p>Thread-safe: one instance serves every request.
 */
final class Calls {
  /** The most observations one request may send (instances, rows, a v2 batch). */
  static final int MAX_INSTANCES = 10_000;

  private final Augur augur;
  private final AugurServer.Settings settings;
  private final ServerMetrics metrics;
  private final Semaphore permits;

  Calls(Augur augur, AugurServer.Settings settings, ServerMetrics metrics) {
    this.augur = augur;
    this.settings = settings;
    this.metrics = metrics;
    this.permits = new Semaphore(settings.maxInFlight());
  }

  Augur augur() {
    return augur;
  }

  // ---- the model of a request ---------------------------------------------------------------

  /** The model of path parameter {@code m}, noted as the model of this request; else 404. */
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

  ModelManifest manifest(HttpServerExchange ex) {
    return augur.manifest(model(ex));
  }

  /** The default model, for the tutorials' routes; else 404. */
  String defaultModel() {
    return augur.defaultModel().orElseThrow(() -> new ModelNotFoundException("no model is loaded"));
  }

  /** The default model, noted as the model of this request. */
  String defaultModel(HttpServerExchange ex) {
    String m = defaultModel();
    RequestContext.of(ex).ifPresent(c -> c.model(m));
    return m;
  }

  /** The {@code version} query parameter, when given and not blank. */
  static Optional<String> version(HttpServerExchange ex) {
    return Http.param(ex, "version").filter(v -> !v.isBlank());
  }

  /** The history store; a 404 when this server keeps none. */
  HistoryStore requireHistory() {
    return augur.history().orElseThrow(() -> HttpProblem.notFound("this server keeps no history"));
  }

  // ---- bodies and observations --------------------------------------------------------------

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

  /** The client's {@code id} of a prediction: a string or an integer, when given. */
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

  /**
   * Checks the fields the model's schema does not name (kept with the record): at most {@code
   * limits.extra_fields_kib} of JSON per observation, else 422 naming the largest.
   *
   * @param where the field path of each observation ({@code observation}, {@code instances[3]})
   */
  void checkExtras(String model, List<Observation> obs, IntFunction<String> where) {
    long limit = settings.extraFieldBytes();
    Set<String> known = new HashSet<>();
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
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- predicting ---------------------------------------------------------------------------

  /** Runs a prediction within the in-flight bound; beyond it, overload (503 + Retry-After). */
  /**
   * Predicts a batch, under the concurrency limit, with the version the request names, else the
   * model's default version or traffic split.
   */
  List<PredictionRecord> predictBatch(
      String model, Optional<String> version, List<Observation> observations) {
    return limited(
        () ->
            version.isPresent()
                ? augur.predictBatch(model, version.get(), observations)
                : augur.predictBatch(model, observations));
  }

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

  /** Counts the predictions made and notes their model and version as the request's. */
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
}
