package dev.augur.core.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/** A {@code text}: a string encoded as int64 token ids by its {@link Tokenizer}. */
public record TextFeature(String name, boolean nullable, Tokenizer tokenizer, int maxChars)
    implements Feature {

  /** The default bound on a text's length in characters. */
  public static final int DEFAULT_MAX_CHARS = 100_000;

  @Override
  public FeatureType type() {
    return FeatureType.TEXT;
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    if (!(raw instanceof String s)) {
      v.add(name, "must be a string, not " + Values.jsonType(raw));
      return null;
    }
    if (s.length() > maxChars) {
      v.add(name, "is too long: " + s.length() + " characters, at most " + maxChars);
      return null;
    }
    return s;
  }

  /** The token ids of a canonical value (null = empty text). */
  public long[] encode(Object canonical) {
    return tokenizer.encode(canonical == null ? "" : (String) canonical);
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", nullable ? java.util.List.of("string", "null") : "string");
    s.put("maxLength", maxChars);
    return s;
  }

  @Override
  public Object exampleValue() {
    return "an example text";
  }
}
