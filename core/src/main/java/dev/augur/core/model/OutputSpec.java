package dev.augur.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The manifest's {@code output}: how raw model outputs are decoded.
 *
 * @param labels class labels in output order (classification), else empty
 * @param positive the positive label (binary classification)
 * @param activation how logits become probabilities
 * @param scale the regression output scale, mapping {@code y} to {@code y * std + mean}
 * @param horizon forecast steps (forecast), else 0
 */
public record OutputSpec(
    List<String> labels,
    Optional<String> positive,
    Activation activation,
    Optional<Scale> scale,
    int horizon) {
  /** Freezes the labels. */
  public OutputSpec {
    labels = List.copyOf(labels);
    Objects.requireNonNull(positive, "positive");
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(scale, "scale");
  }
}
