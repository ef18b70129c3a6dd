package dev.augur.server;

import dev.augur.core.AugurException;
import dev.augur.core.ChartException;
import dev.augur.core.ClosedException;
import dev.augur.core.DataSourceException;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.InvalidInputException;
import dev.augur.core.InvalidSourceKeyException;
import dev.augur.core.KeyNotFoundException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.ModelNotFoundException;
import dev.augur.core.NothingToDrawException;
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

  /** An HTTP answer for a failure; {@code incident} ties an internal failure to its log line. */
  record Problem(
      int status,
      String title,
      String detail,
      List<Violation> errors,
      Optional<Integer> retryAfter,
      Optional<String> incident) {
    Problem(
        int status,
        String title,
        String detail,
        List<Violation> errors,
        Optional<Integer> retryAfter) {
      this(status, title, detail, errors, retryAfter, Optional.empty());
    }

    String type() {
      return TYPE_BASE + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    Map<String, Object> body() {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("type", type());
      b.put("title", title);
      b.put("status", status);
      b.put("detail", detail);
      incident.ifPresent(i -> b.put("incident", i));
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
        || t instanceof SourceNotFoundException
        || t instanceof NothingToDrawException) {
      return simple(404, "Not found", t);
    }
    if (t instanceof PredictionConflictException) {
      return simple(409, "Conflict", t);
    }
    if (t instanceof OverloadedException) {
      return new Problem(503, "Overloaded", t.getMessage(), List.of(), Optional.of(1));
    }
    if (t instanceof ClosedException) {
      // Augur, a model or the history closed under the request: the server is stopping, and
      // nothing was predicted or written; another instance (or this one, restarted) can take it
      return shuttingDown();
    }
    // below, the exception's message may hold what a client must not see (a database host, an
    // upstream URL with its key, a file path, an engine's message): it goes to the log with an
    // incident id, and the answer carries fixed text and the id
    if (t instanceof HistoryUnavailableException) {
      String incident = incident();
      log.warn("incident {}: the history store is unavailable: {}", incident, t.getMessage());
      return new Problem(
          503,
          "History unavailable",
          "the history store is unavailable; retry shortly",
          List.of(),
          // the store fails fast for 0.5 s after the database stops answering, then tries it again:
          // a client that waits a second is back within a second or two of the database
          Optional.of(1),
          Optional.of(incident));
    }
    if (t instanceof DataSourceException) {
      String incident = incident();
      log.warn("incident {}: a data source failed: {}", incident, t.getMessage());
      // the sources word their errors for clients (the source's name, never its URL or headers)
      return new Problem(
          503,
          "Data source unavailable",
          t.getMessage(),
          List.of(),
          Optional.of(5),
          Optional.of(incident));
    }
    if (t instanceof ChartException) {
      return simple(422, "Invalid chart", t);
    }
    String incident = incident();
    if (t instanceof ModelLoadException) {
      log.error("incident {}: a model failed to load: {}", incident, t.getMessage(), t);
    } else if (t instanceof AugurException) {
      log.error("incident {}: the request failed: {}", incident, t.getMessage(), t);
    } else {
      log.error("incident {}: unexpected failure", incident, t);
    }
    return internal(incident);
  }

  /** The answer to a request that comes while the server is stopping. */
  static Problem shuttingDown() {
    return new Problem(
        503,
        "Shutting down",
        "the server is shutting down; retry shortly",
        List.of(),
        Optional.of(SHUTDOWN_RETRY_AFTER));
  }

  /** Seconds a client is asked to wait during a shutdown: a load balancer moves it meanwhile. */
  static final int SHUTDOWN_RETRY_AFTER = 2;

  /** The only answer a 500 gives: no URL, path, SQL, host or engine message. */
  static Problem internal(String incident) {
    return new Problem(
        500,
        "Internal error",
        "internal error",
        List.of(),
        Optional.empty(),
        Optional.of(incident));
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** A short random id, searchable in the log. */
  static String incident() {
    return String.format("%012x", RANDOM.nextLong() & 0xffff_ffff_ffffL);
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
