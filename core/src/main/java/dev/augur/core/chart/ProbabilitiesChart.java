package dev.augur.core.chart;

import java.util.Map;
import java.util.Objects;

/**
 * Class probabilities as horizontal bars, largest first, each with its value printed. JSON kind
 * {@code "probabilities"}. Immutable and thread-safe.
 *
 * <pre>{@code
 * ChartSpec spec = new ProbabilitiesChart(Map.of("died", 0.83, "survived", 0.17));
 * }</pre>
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param probabilities each label's probability, in [0, 1]; the copy keeps the map's order
 */
public record ProbabilitiesChart(
    String title, int width, int height, Map<String, Double> probabilities) implements ChartSpec {
  /** Copies the map and checks nothing is null. */
  public ProbabilitiesChart {
    Objects.requireNonNull(title, "title");
    probabilities = Specs.copy(probabilities, "probabilities");
  }

  /** A probabilities chart without a title at the default size. */
  public ProbabilitiesChart(Map<String, Double> probabilities) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, probabilities);
  }

  /** A probabilities chart with a title at the default size. */
  public ProbabilitiesChart(String title, Map<String, Double> probabilities) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, probabilities);
  }

  @Override
  public String kind() {
    return "probabilities";
  }
}
