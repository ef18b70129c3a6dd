package dev.augur.core.source;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One dated value of a series.
 *
 * @param t the time: a {@link LocalDate}, {@link LocalDateTime}, {@link OffsetDateTime}, {@link
 *     Instant}, or a {@link Number} for series without a calendar
 * @param y the value
 */
public record Point(Object t, double y) {
  /** Checks {@code t} is one of the accepted time types. */
  public Point {
    requireTime(t, "a point's time");
  }

  /**
   * Checks a time is a {@link LocalDate}, {@link LocalDateTime}, {@link OffsetDateTime}, {@link
   * Instant} or {@link Number}.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static Object requireTime(Object t, String what) {
    Objects.requireNonNull(t, what);
    if (!(t instanceof LocalDate
        || t instanceof LocalDateTime
        || t instanceof OffsetDateTime
        || t instanceof Instant
        || t instanceof Number)) {
      throw new IllegalArgumentException(
          what
              + " must be a date, a date-time, an instant or a number, not "
              + t.getClass().getSimpleName());
    }
    return t;
  }
}
