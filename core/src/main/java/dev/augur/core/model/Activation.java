package dev.augur.core.model;

import java.util.Locale;

/** How a classifier's raw outputs become probabilities. */
public enum Activation {
  /** Logits in, softmax over each row. */
  SOFTMAX,
  /** One logit per row (binary): p(positive) = sigmoid(logit). */
  SIGMOID,
  /** The model already outputs probabilities (or a regression/forecast value). */
  NONE;

  /** The manifest spelling. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
