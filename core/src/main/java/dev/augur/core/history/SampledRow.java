package dev.augur.core.history;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a window sample, as drift reads it: the observation's fields and the prediction's
 * label and score (see {@link dev.augur.core.HistoryStore#scores} for what the score is).
 *
 * @param observation the observation's fields as recorded
 * @param label the predicted label (classification), else empty
 * @param score the positive probability (binary), the top probability (multiclass), the value
 *     (regression) or the first step (forecast), when there is one
 */
public record SampledRow(
    Map<String, Object> observation, Optional<String> label, Optional<Double> score) {
  /** Checks the parts are present (the observation is not copied: rows are read once). */
  public SampledRow {
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(score, "score");
  }
}
