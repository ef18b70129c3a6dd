package dev.augur.core;

import java.util.Objects;
import java.util.Optional;

/**
 * How to predict one observation: with which version and under which id. Immutable; start from
 * {@link #defaults()} (the default version, or the traffic split; a generated id) and refine with
 * {@link #version(String)} and {@link #id(Object)}.
 *
 * <pre>{@code
 * PredictionRecord r = augur.predict("titanic", PredictionRequest.defaults().version("2").id("p-1"), obs);
 * }</pre>
 *
 * @param version a version, or empty for the default (highest) or the model's traffic split
 * @param id a client-given id (string or integer), or empty to generate one; the same id with the
 *     same observation is an idempotent replay answering the stored record
 */
public record PredictionRequest(Optional<String> version, Optional<Object> id) {
  /** Checks that the parts are not null. */
  public PredictionRequest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(id, "id");
  }

  /** The default version (or the traffic split) under a generated id. */
  public static PredictionRequest defaults() {
    return new PredictionRequest(Optional.empty(), Optional.empty());
  }

  /** This request, with that version. */
  public PredictionRequest version(String version) {
    return new PredictionRequest(Optional.of(Objects.requireNonNull(version, "version")), id);
  }

  /** This request, under a client-given id (a string or an integer). */
  public PredictionRequest id(Object id) {
    return new PredictionRequest(version, Optional.of(Objects.requireNonNull(id, "id")));
  }
}
