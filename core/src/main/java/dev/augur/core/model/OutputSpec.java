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
 * @param tensor which of the model's outputs holds the scores or values ({@code output.tensor})
 */
public record OutputSpec(
    List<String> labels,
    Optional<String> positive,
    Activation activation,
    Optional<Scale> scale,
    int horizon,
    OutputTensor tensor) {
  /** Freezes the labels. */
  public OutputSpec {
    labels = List.copyOf(labels);
    Objects.requireNonNull(positive, "positive");
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(tensor, "tensor");
  }
}
