package dev.augur.core;

import java.util.Locale;

/** What a model predicts; decides the fields of its {@link Prediction} and its quality metrics. */
public enum Task {
  /** Two labels; answers {@code label}, {@code probabilities} and {@code proba}. */
  BINARY_CLASSIFICATION,
  /** Several labels; answers {@code label} and {@code probabilities}. */
  MULTICLASS_CLASSIFICATION,
  /** One number; answers {@code value}. */
  REGRESSION,
  /** The next {@code horizon} values of a series; answers {@code values}. */
  FORECAST;

  /** The manifest spelling, e.g. {@code "binary_classification"}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether predictions carry a label and probabilities. */
  public boolean isClassification() {
    return this == BINARY_CLASSIFICATION || this == MULTICLASS_CLASSIFICATION;
  }

  /**
   * Parses the manifest spelling.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Task fromId(String id) {
    for (Task t : values()) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown task '"
            + id
            + "'; expected one of binary_classification, multiclass_classification, regression,"
            + " forecast");
  }
}
