package dev.augur.server;

import java.util.Locale;
import java.util.Optional;

/**
 * How the server writes its access log, one line per request: {@link #TEXT} (the default), {@link
 * #JSON} lines, or {@link #OFF}.
 */
public enum AccessLogFormat {
  /**
   * The application log's text layout: {@code 18:46:30.660 INFO dev.augur.server.access [request
   * id] - 127.0.0.1 POST /predict 200 1.234ms 178B titanic@1 trace_id=…}; the model and trace are
   * left out when the request has none.
   */
  TEXT,
  /**
   * The application log's JSON layout, one object per line, with the request's {@code request_id},
   * {@code trace_id}, {@code span_id}, {@code model}, {@code version}, {@code status}, {@code
   * latency_ms}, {@code remote}, {@code method}, {@code path} and {@code bytes} in {@code mdc}.
   */
  JSON,
  /** No access log. */
  OFF;

  /** The name as written in the config file and on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code text}, {@code json} or {@code off}, in any case. */
  public static Optional<AccessLogFormat> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> Optional.of(TEXT);
      case "json" -> Optional.of(JSON);
      case "off" -> Optional.of(OFF);
      default -> Optional.empty();
    };
  }
}
