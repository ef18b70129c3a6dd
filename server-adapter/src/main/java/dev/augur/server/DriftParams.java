package dev.augur.server;

import dev.augur.core.InvalidInputException;
import dev.augur.core.Violation;
import dev.augur.core.drift.DriftQuery;
import dev.augur.core.drift.DriftReport;
import dev.augur.core.drift.DriftWindow;
import dev.augur.core.drift.FeatureDrift;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query of {@code GET /models/{m}/drift} and its drift chart, and the JSON of a drift report.
 * Every bad parameter is a 400 naming it.
 */
final class DriftParams {
  private DriftParams() {}

  /** The drift query from {@code from}, {@code to}, {@code reference_from}, … parameters. */
  static DriftQuery query(HttpServerExchange ex) {
    DriftQuery.Builder b = DriftQuery.builder();
    instant(ex, "from").ifPresent(b::from);
    instant(ex, "to").ifPresent(b::to);
    instant(ex, "reference_from").ifPresent(b::referenceFrom);
    instant(ex, "reference_to").ifPresent(b::referenceTo);
    Http.param(ex, "version").filter(v -> !v.isBlank()).ifPresent(b::version);
    Optional<String> t = Http.param(ex, "threshold");
    if (t.isPresent()) {
      try {
        b.threshold(Double.parseDouble(t.get().trim()));
      } catch (NumberFormatException e) {
        throw HttpProblem.badParameter("threshold", "threshold must be a number such as 0.2");
      }
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      Violation v = e.violations().get(0);
      throw HttpProblem.badParameter(v.field(), v.field() + " " + v.message());
    }
  }

  /**
   * An ISO-8601 instant ({@code 2026-11-30T12:00:00Z}, an offset, or a date meaning its UTC start).
   */
  private static Optional<Instant> instant(HttpServerExchange ex, String name) {
    Optional<String> v = Http.param(ex, name).map(String::trim).filter(s -> !s.isEmpty());
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String s = v.get();
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(
            java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
      } catch (DateTimeParseException e2) {
        throw HttpProblem.badParameter(
            name,
            name + " must be an ISO-8601 instant such as 2026-11-30T12:00:00Z, not '" + s + "'");
      }
    }
  }

  /** The report's JSON (DESIGN.md "Drift"). */
  static Map<String, Object> view(DriftReport r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", r.model());
    out.put("threshold", r.threshold());
    out.put("reference", window(r.reference()));
    out.put("current", window(r.current()));
    List<Map<String, Object>> fs = new ArrayList<>();
    for (FeatureDrift f : r.features()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name());
      m.put("type", f.type());
      m.put("metric", f.metric());
      m.put("value", f.value().orElse(null));
      m.put("drifted", f.drifted());
      fs.add(m);
    }
    out.put("features", fs);
    out.put("drifted", r.drifted());
    return out;
  }

  private static Map<String, Object> window(DriftWindow w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", w.source());
    m.put("from", w.from().map(Instant::toString).orElse(null));
    m.put("to", w.to().map(Instant::toString).orElse(null));
    m.put("count", w.count());
    return m;
  }
}
