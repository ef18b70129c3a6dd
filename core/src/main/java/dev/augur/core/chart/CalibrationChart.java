package dev.augur.core.chart;

import dev.augur.core.history.CalibrationBin;
import java.util.List;
import java.util.Objects;

/**
 * A reliability diagram of a binary classifier: observed rate against mean predicted probability
 * per bin, the diagonal of perfect calibration, and each bin's count. Kind {@code "calibration"}.
 * Immutable and thread-safe.
 *
 * @param title the title, or an empty string for none
 * @param width width in pixels
 * @param height height in pixels
 * @param bins the bins, lowest first; empty bins ({@code count == 0}) are skipped
 */
public record CalibrationChart(String title, int width, int height, List<CalibrationBin> bins)
    implements ChartSpec {
  /** Copies the list and checks nothing is null. */
  public CalibrationChart {
    Objects.requireNonNull(title, "title");
    bins = Specs.copy(bins, "bins");
  }

  /** A calibration chart without a title at the default size. */
  public CalibrationChart(List<CalibrationBin> bins) {
    this("", DEFAULT_WIDTH, DEFAULT_HEIGHT, bins);
  }

  /** A calibration chart with a title at the default size. */
  public CalibrationChart(String title, List<CalibrationBin> bins) {
    this(title, DEFAULT_WIDTH, DEFAULT_HEIGHT, bins);
  }

  @Override
  public String kind() {
    return "calibration";
  }
}
