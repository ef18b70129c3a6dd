package dev.augur.server;

import dev.augur.core.AugurException;
import dev.augur.core.ChartException;
import dev.augur.core.DataSourceException;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.InvalidInputException;
import dev.augur.core.InvalidSourceKeyException;
import dev.augur.core.KeyNotFoundException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.ModelNotFoundException;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionConflictException;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.SourceNotFoundException;
import dev.augur.core.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place exceptions become HTTP answers: status, title, detail, field errors, and {@code
 * Retry-After} for the 503s. Unexpected failures are logged with an incident id and answered 500
 * without any internal detail.
 */
final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  private static final String TYPE_BASE = "https://augur.dev/problems/";

  private Problems() {}

  /** An HTTP answer for a failure. */
  record Problem(
      int status,
      String title,
      String detail,
      List<Violation> errors,
      Optional<Integer> retryAfter) {
    String type() {
      return TYPE_BASE + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    Map<String, Object> body() {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("type", type());
      b.put("title", title);
      b.put("status", status);
      b.put("detail", detail);
      if (!errors.isEmpty()) {
        b.put(
            "errors",
            errors.stream()
                .map(
                    v -> {
                      Map<String, Object> e = new LinkedHashMap<>();
                      e.put("field", v.field());
                      e.put("message", v.message());
                      return e;
                    })
                .toList());
      }
      return b;
    }
  }

  static Problem of(Throwable t) {
    if (t instanceof HttpProblem p) {
      return new Problem(p.status, p.title, p.getMessage(), p.errors, Optional.empty());
    }
    if (t instanceof InvalidInputException e) {
      return new Problem(
          422, "Invalid input", summary(e.violations()), e.violations(), Optional.empty());
    }
    if (t instanceof InvalidSourceKeyException) {
      return of(HttpProblem.badParameter("key", t.getMessage()));
    }
    if (t instanceof ModelNotFoundException
        || t instanceof RecordNotFoundException
        || t instanceof KeyNotFoundException
        || t instanceof SourceNotFoundException) {
      return simple(404, "Not found", t);
    }
    if (t instanceof PredictionConflictException) {
      return simple(409, "Conflict", t);
    }
    if (t instanceof OverloadedException) {
      return new Problem(503, "Overloaded", t.getMessage(), List.of(), Optional.of(1));
    }
    if (t instanceof HistoryUnavailableException) {
      // the store fails fast for 0.5 s after the database stops answering, then tries it again: a
      // client that waits a second is back within a second or two of the database
      return new Problem(503, "History unavailable", t.getMessage(), List.of(), Optional.of(1));
    }
    if (t instanceof DataSourceException) {
      return new Problem(503, "Data source unavailable", t.getMessage(), List.of(), Optional.of(5));
    }
    if (t instanceof ChartException) {
      return simple(422, "Invalid chart", t);
    }
    if (t instanceof ModelLoadException) {
      log.warn("model failed to load: {}", t.getMessage());
      return simple(500, "Model load failed", t);
    }
    if (t instanceof AugurException) {
      log.warn("request failed: {}", t.toString());
      return simple(500, "Prediction failed", t);
    }
    String incident = Long.toHexString(System.nanoTime());
    log.error("unexpected failure, incident {}", incident, t);
    return new Problem(
        500,
        "Internal error",
        "an unexpected error occurred (incident " + incident + "); it is logged",
        List.of(),
        Optional.empty());
  }

  private static Problem simple(int status, String title, Throwable t) {
    return new Problem(status, title, t.getMessage(), List.of(), Optional.empty());
  }

  private static String summary(List<Violation> vs) {
    if (vs.size() == 1) {
      return vs.get(0).field() + " " + vs.get(0).message();
    }
    return vs.size() + " fields are invalid";
  }
}
