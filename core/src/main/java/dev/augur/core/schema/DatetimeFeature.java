package dev.augur.core.schema;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code datetime}: an ISO-8601 string ({@code 2009-06-15T17:26:21Z}, with an offset, or the
 * {@code 2009-06-15 17:26:21 UTC} form) encoded as one raw float per part, computed in {@code
 * timezone} (UTC by default). A time without zone or offset is read in that zone too. A nullable
 * null encodes every part as 0.
 */
public record DatetimeFeature(
    String name, boolean nullable, List<DatetimePart> parts, ZoneId timezone)
    implements Feature, TabularFeature {

  /** Freezes the parts. */
  public DatetimeFeature {
    parts = List.copyOf(parts);
  }

  @Override
  public FeatureType type() {
    return FeatureType.DATETIME;
  }

  @Override
  public int width() {
    return parts.size();
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    if (raw instanceof String s) {
      Optional<ZonedDateTime> t = parse(s, timezone);
      if (t.isPresent()) {
        return t.get();
      }
    }
    v.add(name, "must be an ISO-8601 date-time such as 2009-06-15T17:26:21Z");
    return null;
  }

  /**
   * Parses the accepted forms, reading a time without zone in {@code zone}; result in {@code zone}.
   */
  public static Optional<ZonedDateTime> parse(String text, ZoneId zone) {
    String s = text.trim();
    if (s.length() > 64) {
      return Optional.empty();
    }
    if (s.endsWith(" UTC") || s.endsWith(" GMT")) {
      s = s.substring(0, s.length() - 4).trim().replace(' ', 'T') + "Z";
    } else if (s.length() > 10 && s.charAt(10) == ' ') {
      s = s.substring(0, 10) + 'T' + s.substring(11);
    }
    try {
      return Optional.of(OffsetDateTime.parse(s).atZoneSameInstant(zone));
    } catch (DateTimeParseException ignored) {
      // not an offset date-time; try the other forms
    }
    try {
      return Optional.of(ZonedDateTime.parse(s).withZoneSameInstant(zone));
    } catch (DateTimeParseException ignored) {
      // try without zone
    }
    try {
      return Optional.of(LocalDateTime.parse(s).atZone(zone));
    } catch (DateTimeParseException ignored) {
      // try a plain date
    }
    try {
      return Optional.of(LocalDate.parse(s).atStartOfDay(zone));
    } catch (DateTimeParseException ignored) {
      return Optional.empty();
    }
  }

  @Override
  public void encode(Object canonical, float[] row, int offset) {
    for (int i = 0; i < parts.size(); i++) {
      row[offset + i] = canonical == null ? 0f : parts.get(i).of((ZonedDateTime) canonical);
    }
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", nullable ? List.of("string", "null") : "string");
    s.put("format", "date-time");
    return s;
  }

  @Override
  public Object exampleValue() {
    return ZonedDateTime.of(2024, 1, 15, 12, 0, 0, 0, ZoneOffset.UTC).toOffsetDateTime().toString();
  }
}
