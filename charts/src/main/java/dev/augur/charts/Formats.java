package dev.augur.charts;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;

/** Number and date label formats chosen from a data range. Stateless and thread-safe. */
final class Formats {
  private Formats() {}

  /**
   * A {@link DecimalFormat} pattern with thousands separators and as many decimals as the axis
   * ticks over {@code [min, max]} need.
   */
  static String decimalPattern(double min, double max) {
    double range = Math.abs(max - min);
    if (range == 0) {
      range = Math.max(Math.abs(max), 1);
    }
    double step = range / 5;
    // fixed decimals for the tick step, and one optional more for steps like 2.5
    int decimals = (int) Math.min(8, Math.max(0, Math.ceil(-Math.log10(step))));
    return decimals == 0 ? "#,##0.#" : "#,##0." + "0".repeat(decimals) + "#";
  }

  /** Formats a number with thousands separators and up to {@code decimals} decimals. */
  static String number(double v, int decimals) {
    DecimalFormat f =
        new DecimalFormat(
            decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals),
            DecimalFormatSymbols.getInstance(Locale.ROOT));
    return f.format(v);
  }

  /** Formats a count with thousands separators. */
  static String count(long v) {
    return number((double) v, 0);
  }

  /** A probability as a percentage: {@code 83.0%}, {@code <0.1%}. */
  static String percent(double p) {
    if (p > 0 && p < 0.001) {
      return "<0.1%";
    }
    if (p < 1 && p > 0.999) {
      return ">99.9%";
    }
    return new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(p * 100)
        + "%";
  }

  /** A {@link java.text.SimpleDateFormat} pattern for a date axis spanning the given millis. */
  static String datePattern(long spanMillis, boolean allMidnight) {
    Duration span = Duration.ofMillis(spanMillis);
    if (span.toDays() >= 3 * 365) {
      return "yyyy";
    }
    if (span.toDays() >= 120) {
      return "MMM yyyy";
    }
    if (span.toDays() >= 3 || allMidnight) {
      return "d MMM";
    }
    if (span.toHours() >= 24) {
      return "d MMM HH:mm";
    }
    return span.toMinutes() >= 10 ? "HH:mm" : "HH:mm:ss";
  }
}
