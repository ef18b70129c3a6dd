package dev.augur.core.chart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A confusion matrix as a heat map with the counts in the cells: rows are the true label, columns
 * the predicted one, both in {@code labels} order. Kind {@code "confusion"}. Immutable and
 * thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param labels the class labels
 * @param counts {@code counts.get(trueIndex).get(predictedIndex)}, a square matrix of labels' size
 */
public record ConfusionChart(
    String title, int width, int height, List<String> labels, List<List<Long>> counts)
    implements ChartSpec {
  /** Copies the lists (deeply) and checks nothing is null. */
  public ConfusionChart {
    Objects.requireNonNull(title, "title");
    labels = Specs.copy(labels, "labels");
    List<List<Long>> rows = Specs.copy(counts, "counts");
    List<List<Long>> copied = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      copied.add(Specs.copy(rows.get(i), "counts[" + i + "]"));
    }
    counts = Collections.unmodifiableList(copied);
  }

  /** A confusion chart without a title at the default size. */
  public ConfusionChart(List<String> labels, List<List<Long>> counts) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, labels, counts);
  }

  /** A confusion chart with a title at the default size. */
  public ConfusionChart(String title, List<String> labels, List<List<Long>> counts) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, labels, counts);
  }

  @Override
  public String kind() {
    return "confusion";
  }
}
