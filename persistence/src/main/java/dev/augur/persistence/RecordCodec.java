package dev.augur.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.augur.core.Classification;
import dev.augur.core.Forecast;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.Observation;
import dev.augur.core.Outcome;
import dev.augur.core.Prediction;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.core.Task;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns records into table columns and back. Stateless and thread-safe. */
final class RecordCodec {
  static final String COLUMNS =
      "model, id, version, task, created_at, observation, prediction, pred_label, pred_score,"
          + " latency_ms, outcome, outcome_label, outcome_value, outcome_at, shadow";

  /**
   * The store's own mapper, set up as core's and the server's are (ISO-8601 instants, no trailing
   * tokens), so a stored observation reads back as the server wrote it.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** Reads a map with the type resolved once (drift parses tens of thousands per report). */
  private static final ObjectReader MAP_READER = JSON.readerFor(MAP);

  private static final ObjectReader ANY_READER = JSON.readerFor(Object.class);
  private static final String POSITIVE = "_positive";

  private RecordCodec() {}

  /** Microseconds since the epoch; an instant beyond what a long holds saturates (a bound). */
  static long micros(Instant t) {
    try {
      return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new HistoryStoreException(
          "cannot serialise a value as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String observationJson(Observation o) {
    return json(o.values());
  }

  static String predictionJson(Prediction p) {
    Map<String, Object> f = new LinkedHashMap<>(p.fields());
    if (p instanceof Classification c) {
      c.positive().ifPresent(x -> f.put(POSITIVE, x));
    }
    return json(f);
  }

  /** The label a prediction chose, if it is a classification. */
  static String predLabel(Prediction p) {
    return p instanceof Classification c ? c.label() : null;
  }

  /**
   * One number per prediction for metrics and charts: the positive probability (binary), the top
   * probability (multiclass), the value (regression), the first step (forecast).
   */
  static Double predScore(Prediction p) {
    return p.score().orElse(null);
  }

  static String outcomeLabel(Outcome o) {
    return o instanceof Outcome.Label l ? l.label() : null;
  }

  static Double outcomeValue(Outcome o) {
    if (o instanceof Outcome.Value v) {
      return v.value();
    }
    if (o instanceof Outcome.Values vs) {
      return vs.values().isEmpty() ? null : vs.values().get(0);
    }
    return null;
  }

  static PredictionRecord read(ResultSet rs) throws SQLException {
    Task task = Task.fromId(rs.getString("task"));
    Map<String, Object> obs = parse(rs.getString("observation"));
    Prediction p = prediction(task, parse(rs.getString("prediction")));
    String outcomeJson = rs.getString("outcome");
    Optional<Outcome> outcome = Optional.empty();
    Optional<Instant> outcomeAt = Optional.empty();
    if (outcomeJson != null) {
      outcome = Optional.of(outcome(task, parseAny(outcomeJson)));
      outcomeAt = Optional.of(instant(rs.getLong("outcome_at")));
    }
    return new PredictionRecord(
        rs.getString("id"),
        rs.getString("model"),
        rs.getString("version"),
        instant(rs.getLong("created_at")),
        Observation.of(obs),
        p,
        outcome,
        outcomeAt,
        rs.getDouble("latency_ms"),
        rs.getBoolean("shadow"));
  }

  static Map<String, Object> parse(String json) {
    try {
      return MAP_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new HistoryStoreException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  static Object parseAny(String json) {
    try {
      return ANY_READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new HistoryStoreException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  // the stored JSON was written by this codec for this task, so its shapes are known
  @SuppressWarnings("unchecked")
  static Prediction prediction(Task task, Map<String, Object> f) {
    switch (task) {
      case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> {
        Map<String, Double> probs = new LinkedHashMap<>();
        ((Map<String, Object>) f.get("probabilities"))
            .forEach((k, v) -> probs.put(k, ((Number) v).doubleValue()));
        return new Classification(
            task, (String) f.get("label"), probs, Optional.ofNullable((String) f.get(POSITIVE)));
      }
      case REGRESSION -> {
        return new Regression(((Number) f.get("value")).doubleValue());
      }
      case FORECAST -> {
        return new Forecast(
            doubles((List<Object>) f.get("values")),
            f.containsKey("timestamps")
                ? ((List<Object>) f.get("timestamps")).stream().map(String::valueOf).toList()
                : List.of());
      }
      default -> throw new IllegalStateException();
    }
  }

  // the stored JSON was written by this codec for this task, so its shapes are known
  @SuppressWarnings("unchecked")
  static Outcome outcome(Task task, Object json) {
    return switch (task) {
      case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> new Outcome.Label((String) json);
      case REGRESSION -> new Outcome.Value(((Number) json).doubleValue());
      case FORECAST -> new Outcome.Values(doubles((List<Object>) json));
    };
  }

  static List<Double> doubles(List<Object> l) {
    List<Double> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(((Number) o).doubleValue());
    }
    return out;
  }
}
