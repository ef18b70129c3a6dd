package dev.augur.core.schema;

import dev.augur.core.model.Scale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code number} or {@code integer}: one float, {@code impute} replacing null, then {@code (x -
 * mean) / std} when scaled. {@code min}/{@code max} are validation bounds, not transforms.
 */
public record NumberFeature(
    String name,
    boolean integer,
    boolean nullable,
    Optional<Double> impute,
    Optional<Scale> scale,
    Optional<Double> min,
    Optional<Double> max)
    implements Feature, TabularFeature {

  @Override
  public FeatureType type() {
    return integer ? FeatureType.INTEGER : FeatureType.NUMBER;
  }

  @Override
  public int width() {
    return 1;
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    Double x = Values.toDouble(raw);
    if (x == null) {
      v.add(
          name,
          "must be " + (integer ? "an integer" : "a number") + ", not " + Values.jsonType(raw));
      return null;
    }
    if (!Double.isFinite(x)) {
      v.add(name, "must be a finite number");
      return null;
    }
    if (integer && x != Math.rint(x)) {
      v.add(name, "must be a whole number");
      return null;
    }
    if (min.isPresent() && x < min.get()) {
      v.add(name, "must be at least " + fmt(min.get()));
      return null;
    }
    if (max.isPresent() && x > max.get()) {
      v.add(name, "must be at most " + fmt(max.get()));
      return null;
    }
    return x;
  }

  @Override
  public void encode(Object canonical, float[] row, int offset) {
    double x = canonical == null ? impute.orElseThrow() : (Double) canonical;
    if (scale.isPresent()) {
      x = (x - scale.get().mean()) / scale.get().std();
    }
    row[offset] = (float) x;
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    String t = integer ? "integer" : "number";
    s.put("type", nullable ? List.of(t, "null") : t);
    min.ifPresent(m -> s.put("minimum", integer ? (Object) Math.round(m) : m));
    max.ifPresent(m -> s.put("maximum", integer ? (Object) Math.round(m) : m));
    return s;
  }

  @Override
  public Object exampleValue() {
    double x = impute.or(() -> scale.map(Scale::mean)).or(() -> min).or(() -> max).orElse(0.0);
    if (min.isPresent() && x < min.get()) {
      x = min.get();
    }
    if (max.isPresent() && x > max.get()) {
      x = max.get();
    }
    return integer ? (Object) Math.round(x) : (Object) x;
  }

  static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
