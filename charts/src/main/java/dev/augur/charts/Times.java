package dev.augur.charts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Converts point times to XChart x values: epoch millis (drawn as UTC dates) or numbers. */
final class Times {
  private Times() {}

  /** A time as a number: epoch milliseconds for dates and date-times, the value for numbers. */
  static double x(Object t) {
    if (t instanceof Number n) {
      return n.doubleValue();
    }
    if (t instanceof LocalDate d) {
      return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
    if (t instanceof LocalDateTime d) {
      return d.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (t instanceof OffsetDateTime d) {
      return d.toInstant().toEpochMilli();
    }
    if (t instanceof Instant i) {
      return i.toEpochMilli();
    }
    throw new IllegalArgumentException("not a time: " + t.getClass().getSimpleName());
  }

  /** The x values as XChart wants them: {@link Date}s when {@code dates}, else doubles. */
  static List<Object> xData(double[] xs, int from, int to, boolean dates) {
    List<Object> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(dates ? (Object) new Date((long) xs[i]) : (Object) xs[i]);
    }
    return out;
  }
}
