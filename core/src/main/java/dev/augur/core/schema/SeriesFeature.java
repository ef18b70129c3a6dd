package dev.augur.core.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code series}: an array of numbers (or a comma-separated string in query form), of which the
 * last {@code window} are used, after {@code transform}; float32 {@code [window]}.
 */
public record SeriesFeature(
    String name, boolean nullable, int window, SeriesTransform transform, int maxLength)
    implements Feature {

  /** The default bound on a series' length. */
  public static final int DEFAULT_MAX_LENGTH = 1_000_000;

  @Override
  public FeatureType type() {
    return FeatureType.SERIES;
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    List<?> items;
    if (raw instanceof List<?> l) {
      items = l;
    } else if (raw instanceof String s && fromText) {
      items = List.of(s.split(","));
    } else {
      v.add(name, "must be an array of numbers, not " + Values.jsonType(raw));
      return null;
    }
    if (items.size() > maxLength) {
      v.add(name, "is too long: " + items.size() + " values, at most " + maxLength);
      return null;
    }
    if (items.size() < window) {
      v.add(name, "needs at least " + window + " values; got " + items.size());
      return null;
    }
    double[] w = new double[window];
    int start = items.size() - window;
    for (int i = 0; i < window; i++) {
      Object o = items.get(start + i);
      Double d = o instanceof String && !fromText ? null : Values.toDouble(o);
      if (d == null || !Double.isFinite(d)) {
        v.add(name, "must hold only finite numbers; item " + (start + i) + " is not");
        return null;
      }
      w[i] = d;
    }
    return apply(w, v);
  }

  private SeriesWindow apply(double[] w, Violations v) {
    double offset = 0;
    double scale = 1;
    switch (transform) {
      case NONE -> {}
      case RELATIVE -> {
        scale = w[w.length - 1];
        if (scale == 0) {
          v.add(name, "cannot use the 'relative' transform: the last value of the window is 0");
          return null;
        }
      }
      case STANDARDIZE -> {
        double sum = 0;
        for (double x : w) {
          sum += x;
        }
        offset = sum / w.length;
        double ss = 0;
        for (double x : w) {
          ss += (x - offset) * (x - offset);
        }
        double sd = Math.sqrt(ss / w.length);
        // a constant window has no spread; scaling by 1 keeps it at zero instead of dividing by 0
        scale = sd > 0 ? sd : 1;
      }
      default -> throw new IllegalStateException();
    }
    float[] out = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = (float) ((w[i] - offset) / scale);
    }
    return new SeriesWindow(out, offset, scale);
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "array");
    s.put("items", Map.of("type", "number"));
    s.put("minItems", window);
    s.put("description", "the last " + window + " values are used (" + transform.id() + ")");
    return s;
  }

  @Override
  public Object exampleValue() {
    return java.util.Collections.nCopies(window, 1.0);
  }
}
