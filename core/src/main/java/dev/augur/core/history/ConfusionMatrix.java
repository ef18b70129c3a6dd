package dev.augur.core.history;

import java.util.List;
import java.util.Objects;

/**
 * Counts of labelled records by outcome (row) and predicted label (column), both in the order of
 * the model's labels. Immutable.
 *
 * @param counts one row per outcome label, one count per predicted label
 */
public record ConfusionMatrix(List<List<Long>> counts) {
  /** Copies the rows. */
  public ConfusionMatrix {
    counts = Objects.requireNonNull(counts, "counts").stream().map(List::copyOf).toList();
  }

  /**
   * How many records had outcome {@code actual} and prediction {@code predicted} (label indexes).
   */
  public long count(int actual, int predicted) {
    return counts.get(actual).get(predicted);
  }

  /** How many labels the matrix covers. */
  public int size() {
    return counts.size();
  }
}
