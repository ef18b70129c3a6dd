package dev.augur.core.history;

import dev.augur.core.Task;
import dev.augur.core.model.ModelManifest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a history store needs to know about a model to compute its quality metrics.
 *
 * @param task the model's task
 * @param labels the labels in output order (classification), else empty
 * @param positive the positive label (binary classification), else empty
 * @param horizon the number of forecast steps (forecast), else 0
 */
public record QualitySpec(Task task, List<String> labels, Optional<String> positive, int horizon) {
  /** Freezes the labels. */
  public QualitySpec {
    Objects.requireNonNull(task, "task");
    labels = List.copyOf(labels);
    Objects.requireNonNull(positive, "positive");
  }

  /** The spec of a model, from its manifest. */
  public static QualitySpec of(ModelManifest manifest) {
    return new QualitySpec(
        manifest.task(),
        manifest.output().labels(),
        manifest.output().positive(),
        manifest.output().horizon());
  }
}
