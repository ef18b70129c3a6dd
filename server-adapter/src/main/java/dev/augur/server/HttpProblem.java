package dev.augur.server;

import dev.augur.core.Violation;
import java.util.List;

/**
 * An HTTP error answered as {@code application/problem+json} (RFC 9457): thrown by handlers for the
 * client's mistakes the core does not see (a bad query parameter, a wrong content type, a body over
 * the limit, a missing API key).
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String title;
  final transient List<Violation> errors;

  HttpProblem(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  HttpProblem(int status, String title, String detail, List<Violation> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  static HttpProblem badParameter(String name, String detail) {
    return new HttpProblem(400, "Bad request", detail, List.of(new Violation(name, detail)));
  }

  static HttpProblem malformed(String detail) {
    return new HttpProblem(400, "Malformed JSON", detail);
  }

  static HttpProblem notFound(String detail) {
    return new HttpProblem(404, "Not found", detail);
  }
}
