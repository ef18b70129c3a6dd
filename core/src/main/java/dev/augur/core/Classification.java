package dev.augur.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A classification: the most probable label and every label's probability, in label order. For
 * binary classification {@link #positive()} names the positive label and {@link #proba()} gives its
 * probability.
 */
public record Classification(
    Task task, String label, Map<String, Double> probabilities, Optional<String> positive)
    implements Prediction {

  /** Checks the parts and freezes the probabilities in label order. */
  public Classification {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(positive, "positive");
    if (!task.isClassification()) {
      throw new IllegalArgumentException("a Classification needs a classification task");
    }
    probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
  }

  /** The probability of the positive label; present for binary classification. */
  public Optional<Double> proba() {
    return positive.map(probabilities::get);
  }

  @Override
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("label", label);
    f.put("probabilities", probabilities);
    proba().ifPresent(p -> f.put("proba", p));
    return f;
  }
}
