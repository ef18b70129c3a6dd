package dev.augur.core;

import java.util.Map;
import java.util.Optional;

/**
 * The output of a model for one observation, by task: {@link Classification}, {@link Regression} or
 * {@link Forecast}. Immutable.
 */
public sealed interface Prediction permits Classification, Regression, Forecast {
  /** The task that produced this prediction. */
  Task task();

  /**
   * The task fields exactly as they appear in JSON responses and history records, e.g. {@code
   * label}, {@code probabilities}, {@code proba}; {@code value}; {@code values}, {@code
   * timestamps}.
   */
  Map<String, Object> fields();

  /**
   * One number for metrics, charts and drift: the positive probability (binary), the top
   * probability (multiclass), the value (regression), the first step (forecast; empty when it has
   * none).
   */
  default Optional<Double> score() {
    if (this instanceof Classification c) {
      return Optional.ofNullable(c.proba().orElseGet(() -> c.probabilities().get(c.label())));
    }
    if (this instanceof Regression r) {
      return Optional.of(r.value());
    }
    Forecast f = (Forecast) this;
    return f.values().isEmpty() ? Optional.empty() : Optional.of(f.values().get(0));
  }
}
