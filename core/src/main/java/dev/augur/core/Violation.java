package dev.augur.core;

import java.util.Objects;

/**
 * One problem with one field of an observation (or of a manifest, a chart spec, a request).
 *
 * @param field the field name as the caller wrote it, e.g. {@code "Age"} or {@code
 *     "inputs[2].scale"}
 * @param message what is wrong and what is expected, without echoing large raw values
 */
public record Violation(String field, String message) {
  /** Checks both parts are present. */
  public Violation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
