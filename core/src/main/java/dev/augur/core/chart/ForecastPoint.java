package dev.augur.core.chart;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One forecast value with an optional uncertainty band; immutable and thread-safe.
 *
 * @param t the time: a {@link LocalDate}, {@link LocalDateTime}, {@link OffsetDateTime}, {@link
 *     Instant}, or a {@link Number} for series without a calendar
 * @param y the forecast value
 * @param lower the band's lower edge, or {@code null} where the forecast has no band
 * @param upper the band's upper edge, or {@code null} where the forecast has no band
 */
public record ForecastPoint(Object t, double y, Double lower, Double upper) {
  /** Checks {@code t} is one of the accepted time types. */
  public ForecastPoint {
    Objects.requireNonNull(t, "t");
    if (!(t instanceof LocalDate
        || t instanceof LocalDateTime
        || t instanceof OffsetDateTime
        || t instanceof Instant
        || t instanceof Number)) {
      throw new IllegalArgumentException(
          "a forecast point's time must be a date, a date-time, an instant or a number, not "
              + t.getClass().getSimpleName());
    }
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
