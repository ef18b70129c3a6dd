package dev.augur.core.chart;

import dev.augur.core.InvalidInputException;
import dev.augur.core.drift.DriftQuery;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to draw a {@link ModelChart}: its size, the window of history, and the options of the kinds
 * that have some. Immutable; built with {@link #builder()}, every part optional.
 *
 * <pre>{@code
 * ChartSpec spec = augur.chart("titanic", ModelChart.QUALITY, ModelChartQuery.builder()
 *     .window(Duration.ofDays(7)).bucket(Duration.ofHours(6)).metric("roc_auc").build());
 * }</pre>
 *
 * @param width width in pixels (default 800)
 * @param height height in pixels (default 500)
 * @param window only the records of the last {@code window}, or empty for all (not for drift)
 * @param bucket the time bucket of {@link ModelChart#VOLUME volume} and {@link ModelChart#QUALITY
 *     quality} charts, or empty for about 40 buckets over the window or the data
 * @param metric the metric of a {@link ModelChart#QUALITY quality} chart, or empty for the task's
 *     usual one ({@code accuracy}, {@code mae}, {@code mae_mean})
 * @param version only this version's records in a {@link ModelChart#QUALITY quality} chart (its
 *     shadow predictions included, for champion and challenger), or empty for all
 * @param bins the number of probability bins of a {@link ModelChart#CALIBRATION calibration} chart
 *     (2 to 50, default 10)
 * @param drift the windows and threshold of a {@link ModelChart#DRIFT drift} chart (default the
 *     last day against the training profile)
 */
public record ModelChartQuery(
    int width,
    int height,
    Optional<Duration> window,
    Optional<Duration> bucket,
    Optional<String> metric,
    Optional<String> version,
    int bins,
    DriftQuery drift) {
  /** The default number of calibration bins. */
  public static final int DEFAULT_BINS = 10;

  /**
   * Checks the parts.
   *
   * @throws InvalidInputException naming the part ({@code width}, {@code height}, {@code window},
   *     {@code bucket}, {@code bins})
   */
  public ModelChartQuery {
    size("width", width);
    size("height", height);
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(drift, "drift");
    positive("window", window);
    positive("bucket", bucket);
    if (bins < 2 || bins > 50) {
      throw new InvalidInputException("bins", "must be within 2..50, not " + bins);
    }
  }

  /** The defaults: 800 × 500, all the history, about 40 buckets, the task's metric, 10 bins. */
  public static ModelChartQuery defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private static void size(String field, int pixels) {
    if (pixels < ChartSpecs.MIN_SIZE || pixels > ChartSpecs.MAX_SIZE) {
      throw new InvalidInputException(
          field,
          "must be within "
              + ChartSpecs.MIN_SIZE
              + ".."
              + ChartSpecs.MAX_SIZE
              + " pixels, not "
              + pixels);
    }
  }

  private static void positive(String field, Optional<Duration> d) {
    if (d.isPresent() && (d.get().isNegative() || d.get().isZero())) {
      throw new InvalidInputException(field, "must be a positive duration, not " + d.get());
    }
  }

  /** Builds a {@link ModelChartQuery}. Not thread-safe. */
  public static final class Builder {
    private int width = ChartSpec.DEFAULT_WIDTH;
    private int height = ChartSpec.DEFAULT_HEIGHT;
    private Optional<Duration> window = Optional.empty();
    private Optional<Duration> bucket = Optional.empty();
    private Optional<String> metric = Optional.empty();
    private Optional<String> version = Optional.empty();
    private int bins = DEFAULT_BINS;
    private DriftQuery drift = DriftQuery.lastDay();

    private Builder() {}

    /** The size in pixels, each within 100 to 4000. */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    /** Only the records of the last {@code window}. */
    public Builder window(Duration window) {
      this.window = Optional.of(Objects.requireNonNull(window, "window"));
      return this;
    }

    /** The time bucket of volume and quality charts. */
    public Builder bucket(Duration bucket) {
      this.bucket = Optional.of(Objects.requireNonNull(bucket, "bucket"));
      return this;
    }

    /** The metric of a quality chart, e.g. {@code "roc_auc"} or {@code "rmse"}. */
    public Builder metric(String metric) {
      this.metric = Optional.of(Objects.requireNonNull(metric, "metric"));
      return this;
    }

    /** Only this version's records in a quality chart. */
    public Builder version(String version) {
      this.version = Optional.of(Objects.requireNonNull(version, "version"));
      return this;
    }

    /** The number of bins of a calibration chart. */
    public Builder bins(int bins) {
      this.bins = bins;
      return this;
    }

    /** The windows and threshold of a drift chart. */
    public Builder drift(DriftQuery drift) {
      this.drift = Objects.requireNonNull(drift, "drift");
      return this;
    }

    /**
     * The query.
     *
     * @throws InvalidInputException naming a part out of range
     */
    public ModelChartQuery build() {
      return new ModelChartQuery(width, height, window, bucket, metric, version, bins, drift);
    }
  }
}
