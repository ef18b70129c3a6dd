package dev.augur.core.source;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The times that continue a series' calendar: business days when the input has no weekend dates,
 * otherwise its typical (median) step — a day, a week, a calendar month, or the numeric step.
 */
public final class ForecastCalendar {
  private ForecastCalendar() {}

  /**
   * The next {@code horizon} times after the last point.
   *
   * @throws IllegalArgumentException when there are fewer than two points or mixed time types
   */
  public static List<Object> next(List<Point> history, int horizon) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("a calendar needs at least one point");
    }
    Object last = history.get(history.size() - 1).t();
    List<Object> out = new ArrayList<>(horizon);
    if (last instanceof Number n) {
      double step = history.size() < 2 ? 1 : medianNumericStep(history);
      for (int i = 1; i <= horizon; i++) {
        double v = n.doubleValue() + step * i;
        out.add(v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v);
      }
      return out;
    }
    if (last instanceof LocalDate d) {
      List<LocalDate> dates = history.stream().map(p -> (LocalDate) p.t()).toList();
      boolean weekends =
          dates.stream()
              .anyMatch(
                  x ->
                      x.getDayOfWeek() == DayOfWeek.SATURDAY
                          || x.getDayOfWeek() == DayOfWeek.SUNDAY);
      long step = dates.size() < 2 ? 1 : medianDays(dates);
      LocalDate cur = d;
      for (int i = 0; i < horizon; i++) {
        if (!weekends && step <= 3) {
          do {
            cur = cur.plusDays(1);
          } while (cur.getDayOfWeek() == DayOfWeek.SATURDAY
              || cur.getDayOfWeek() == DayOfWeek.SUNDAY);
        } else if (step >= 28 && step <= 31) {
          cur = d.plusMonths(i + 1);
        } else {
          cur = cur.plusDays(step);
        }
        out.add(cur);
      }
      return out;
    }
    // date-times: the median step as a duration
    List<Instant> ts = history.stream().map(p -> toInstant(p.t())).toList();
    Duration step = ts.size() < 2 ? Duration.ofDays(1) : medianDuration(ts);
    for (int i = 1; i <= horizon; i++) {
      Duration k = step.multipliedBy(i);
      if (last instanceof LocalDateTime l) {
        out.add(l.plus(k));
      } else if (last instanceof OffsetDateTime o) {
        out.add(o.plus(k));
      } else {
        out.add(((Instant) last).plus(k));
      }
    }
    return out;
  }

  private static Instant toInstant(Object t) {
    if (t instanceof Instant i) {
      return i;
    }
    if (t instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (t instanceof LocalDateTime l) {
      return l.toInstant(java.time.ZoneOffset.UTC);
    }
    throw new IllegalArgumentException("mixed time types in one series");
  }

  private static double medianNumericStep(List<Point> h) {
    double[] d = new double[h.size() - 1];
    for (int i = 1; i < h.size(); i++) {
      d[i - 1] = ((Number) h.get(i).t()).doubleValue() - ((Number) h.get(i - 1).t()).doubleValue();
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }

  private static long medianDays(List<LocalDate> dates) {
    long[] d = new long[dates.size() - 1];
    for (int i = 1; i < dates.size(); i++) {
      d[i - 1] = ChronoUnit.DAYS.between(dates.get(i - 1), dates.get(i));
    }
    Arrays.sort(d);
    return Math.max(1, d[d.length / 2]);
  }

  private static Duration medianDuration(List<Instant> ts) {
    long[] d = new long[ts.size() - 1];
    for (int i = 1; i < ts.size(); i++) {
      d[i - 1] = Duration.between(ts.get(i - 1), ts.get(i)).toMillis();
    }
    Arrays.sort(d);
    return Duration.ofMillis(Math.max(1, d[d.length / 2]));
  }
}
