package dev.augur.server;

import java.util.Locale;
import java.util.Optional;

/**
 * How the server writes its access log, one line per request: {@link #TEXT} (the default), {@link
 * #JSON} lines, or {@link #OFF}.
 */
public enum AccessLogFormat {
  /**
   * {@code 2026-11-30T18:46:30.660Z 127.0.0.1 "POST /predict" 200 1.234ms 52B titanic@1
   * request_id=… trace_id=…}; the fields a request does not have are left out.
   */
  TEXT,
  /**
   * One JSON object per line: {@code time}, {@code logger}, {@code remote}, {@code method}, {@code
   * path}, {@code status}, {@code latency_ms}, {@code bytes}, and when known {@code request_id},
   * {@code trace_id}, {@code model}, {@code version}.
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
