package dev.augur.core.chart;

import dev.augur.core.source.Point;

/**
 * One forecast value with an optional uncertainty band; immutable and thread-safe.
 *
 * @param t the time: a {@link java.time.LocalDate}, {@link java.time.LocalDateTime}, {@link
 *     java.time.OffsetDateTime}, {@link java.time.Instant}, or a {@link Number} for series without
 *     a calendar
 * @param y the forecast value
 * @param lower the band's lower edge, or {@code null} where the forecast has no band
 * @param upper the band's upper edge, or {@code null} where the forecast has no band
 */
public record ForecastPoint(Object t, double y, Double lower, Double upper) {
  /** Checks {@code t} is one of the accepted time types. */
  public ForecastPoint {
    Point.requireTime(t, "a forecast point's time");
  }

  /** A forecast value without a band. */
  public ForecastPoint(Object t, double y) {
    this(t, y, null, null);
  }

  /** Whether both band edges are given. */
  public boolean hasBand() {
    return lower != null && upper != null;
  }
}
