package dev.augur.core.chart;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The charts Augur draws of a served model from its history: what {@code Augur.chart} builds and
 * {@code GET /models/{m}/charts/{kind}.png} serves.
 */
public enum ModelChart {
  /** Predictions per time bucket ({@link VolumeChart}). */
  VOLUME,
  /** The distribution of the newest predictions' scores ({@link ScoresChart}). */
  SCORES,
  /** A quality metric per time bucket over the labelled records ({@link QualityChart}). */
  QUALITY,
  /**
   * Predicted probability against observed frequency, binary classifiers ({@link
   * CalibrationChart}).
   */
  CALIBRATION,
  /** The confusion matrix of the labelled records, classifiers ({@link ConfusionChart}). */
  CONFUSION,
  /** The drift index (PSI) of each input and of the prediction ({@link DriftChart}). */
  DRIFT;

  /** The kind's name in URLs: {@code volume}, {@code scores}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code id} ({@code "calibration"}), if there is one. */
  public static Optional<ModelChart> parse(String id) {
    return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
  }

  /** Every kind's {@link #id()}, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(ModelChart::id).toList();
  }
}
