package dev.augur.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One prediction as the history keeps it: what was asked, what was answered, and later the true
 * outcome. Immutable.
 *
 * @param id the prediction id, unique per model (client-given or generated)
 * @param model the model name
 * @param version the model version that answered
 * @param createdAt when the prediction was made
 * @param observation the observation exactly as given (fields the schema ignores included)
 * @param prediction the model's answer
 * @param outcome the true outcome, once known
 * @param outcomeAt when the outcome was recorded, once known
 * @param latencyMs time spent validating, predicting and decoding, in milliseconds
 * @param shadow whether a shadow version made it off the request path: recorded under the same id
 *     as the answered prediction, never answered itself
 */
public record PredictionRecord(
    String id,
    String model,
    String version,
    Instant createdAt,
    Observation observation,
    Prediction prediction,
    Optional<Outcome> outcome,
    Optional<Instant> outcomeAt,
    double latencyMs,
    boolean shadow) {

  /** Checks every required part is present. */
  public PredictionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(outcomeAt, "outcomeAt");
  }

  /** A record of an answered (not shadow) prediction. */
  public PredictionRecord(
      String id,
      String model,
      String version,
      Instant createdAt,
      Observation observation,
      Prediction prediction,
      Optional<Outcome> outcome,
      Optional<Instant> outcomeAt,
      double latencyMs) {
    this(
        id,
        model,
        version,
        createdAt,
        observation,
        prediction,
        outcome,
        outcomeAt,
        latencyMs,
        false);
  }

  /** A new record without an outcome. */
  public static PredictionRecord of(
      String id,
      String model,
      String version,
      Instant createdAt,
      Observation observation,
      Prediction prediction,
      double latencyMs) {
    return new PredictionRecord(
        id,
        model,
        version,
        createdAt,
        observation,
        prediction,
        Optional.empty(),
        Optional.empty(),
        latencyMs);
  }

  /** This record with its outcome set. */
  public PredictionRecord withOutcome(Outcome outcome, Instant at) {
    return new PredictionRecord(
        id,
        model,
        version,
        createdAt,
        observation,
        prediction,
        Optional.of(outcome),
        Optional.of(at),
        latencyMs,
        shadow);
  }

  /** This record as a shadow version's: same id and time, never answered. */
  public PredictionRecord asShadow() {
    return new PredictionRecord(
        id,
        model,
        version,
        createdAt,
        observation,
        prediction,
        outcome,
        outcomeAt,
        latencyMs,
        true);
  }
}
