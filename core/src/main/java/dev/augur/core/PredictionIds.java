package dev.augur.core;

import java.security.SecureRandom;
import java.util.UUID;

/** Prediction ids: checks client-given ones and generates time-ordered UUIDs (version 7). */
final class PredictionIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int MAX_LENGTH = 128;

  private PredictionIds() {}

  /** A new id: a UUIDv7, so ids sort by creation time and index well. */
  static String generate() {
    long ms = System.currentTimeMillis();
    long hi = (ms << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
    long lo = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  /**
   * Checks a client-given id.
   *
   * @throws InvalidInputException naming {@code id}
   */
  static String check(Object id) {
    String s;
    if (id instanceof String str) {
      s = str;
    } else if (id instanceof Number n && !(id instanceof Double || id instanceof Float)) {
      s = n.toString();
    } else {
      throw new InvalidInputException("id", "must be a string or an integer");
    }
    if (s.isEmpty() || s.length() > MAX_LENGTH) {
      throw new InvalidInputException("id", "must have 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '/') {
        throw new InvalidInputException("id", "must not contain control characters or '/'");
      }
    }
    return s;
  }
}
