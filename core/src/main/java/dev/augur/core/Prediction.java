package dev.augur.core;

import java.util.Map;

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
}
