package dev.augur.core.schema;

import java.math.BigDecimal;

/** Conversions of JSON-like values shared by the feature types. */
final class Values {
  private Values() {}

  /** A number from a JSON number or a numeric string; null when it is neither. */
  static Double toDouble(Object raw) {
    if (raw instanceof Boolean) {
      return null;
    }
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof String s) {
      String t = s.trim();
      if (t.isEmpty() || !looksNumeric(t)) {
        return null;
      }
      try {
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean looksNumeric(String t) {
    // Double.parseDouble also takes "NaN", "Infinity", hex and a trailing 'd'; only plain decimals
    // are numbers here.
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The canonical text of a category value: strings as they are, numbers without trailing zeros.
   */
  static String categoryKey(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number n) {
      if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
        return d.toString();
      }
      BigDecimal bd = new BigDecimal(n.toString()).stripTrailingZeros();
      return bd.scale() < 0 ? bd.setScale(0).toPlainString() : bd.toPlainString();
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    return null;
  }

  /** A short description of a value's JSON type for messages (never the value itself). */
  static String jsonType(Object raw) {
    if (raw == null) {
      return "null";
    }
    if (raw instanceof String) {
      return "a string";
    }
    if (raw instanceof Boolean) {
      return "a boolean";
    }
    if (raw instanceof Number) {
      return "a number";
    }
    if (raw instanceof java.util.List) {
      return "an array";
    }
    if (raw instanceof java.util.Map) {
      return "an object";
    }
    return raw.getClass().getSimpleName();
  }

  /** A value quoted for a message, cut short so large inputs are not echoed. */
  static String quote(Object raw) {
    String s = String.valueOf(raw);
    return "'" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'";
  }
}
