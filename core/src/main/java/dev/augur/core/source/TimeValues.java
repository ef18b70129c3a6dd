package dev.augur.core.source;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the time of a point from text or JSON: an ISO date, date-time, epoch seconds or a number.
 */
final class TimeValues {
  private TimeValues() {}

  /** Parses an ISO date ({@code 2008-09-01}), date-time (with or without offset) or a number. */
  static Optional<Object> parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (s.length() == 10 && s.charAt(4) == '-') {
        return Optional.of(LocalDate.parse(s));
      }
      if (s.length() > 10 && s.charAt(4) == '-') {
        String iso = s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        boolean zoned = iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$");
        return Optional.of(zoned ? OffsetDateTime.parse(iso) : LocalDateTime.parse(iso));
      }
      return Optional.of(Double.parseDouble(s));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A JSON time: epoch seconds (a number above 10^8) become instants; strings are parsed. */
  static Optional<Object> fromJson(Object v, boolean epochSeconds) {
    if (v instanceof Number n) {
      return Optional.of(
          epochSeconds ? (Object) Instant.ofEpochSecond(n.longValue()) : (Object) n.doubleValue());
    }
    return v instanceof String s ? parse(s) : Optional.empty();
  }
}
