package dev.augur.core.schema;

import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/** A calendar part of a {@code datetime} feature, each encoded as one raw float. */
public enum DatetimePart {
  /** The year, e.g. 2009. */
  YEAR,
  /** 1 to 12. */
  MONTH,
  /** 1 to 31. */
  DAYOFMONTH,
  /** 0 = Monday … 6 = Sunday. */
  DAYOFWEEK,
  /** 1 to 366. */
  DAYOFYEAR,
  /** 0 to 23. */
  HOUR,
  /** 0 to 59. */
  MINUTE;

  /** The manifest spelling. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** This part of a zoned date-time. */
  public int of(ZonedDateTime t) {
    return switch (this) {
      case YEAR -> t.getYear();
      case MONTH -> t.getMonthValue();
      case DAYOFMONTH -> t.getDayOfMonth();
      case DAYOFWEEK -> t.getDayOfWeek().getValue() - 1;
      case DAYOFYEAR -> t.getDayOfYear();
      case HOUR -> t.getHour();
      case MINUTE -> t.getMinute();
    };
  }

  /** Parses the manifest spelling. */
  public static Optional<DatetimePart> fromId(String id) {
    for (DatetimePart p : values()) {
      if (p.id().equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
