package dev.augur.core.drift;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.augur.core.InvalidManifestException;
import dev.augur.core.Violation;
import dev.augur.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's training profile: how each input feature, and the model's prediction, were distributed
 * in the rows it was trained on. Drift compares live windows against it when no reference window is
 * given. Stored as {@value #FILE} beside {@code model.json}; immutable and thread-safe.
 *
 * <pre>{@code
 * {"format": 1, "rows": 1765,
 *  "features": {
 *    "age": {"type": "numeric", "edges": [14.0, 19.0, ...], "shares": [0.09, ...], "null": 0.04},
 *    "gender": {"type": "categorical", "shares": {"male": 0.78, "female": 0.22}, "null": 0.0}},
 *  "prediction": {"type": "numeric", "edges": [...], "shares": [...], "null": 0.0}}
 * }</pre>
 *
 * <p>Numeric bins: bin {@code i} holds {@code edges[i-1] <= x < edges[i]}, the first and last
 * open-ended, so {@code shares} has one entry more than {@code edges}. Shares are fractions of all
 * rows: a feature's shares and {@code null} add up to one. {@link ProfileWriter} writes one from a
 * CSV of training rows.
 *
 * @param rows how many rows the profile was made from
 * @param features feature name to its profile
 * @param prediction the prediction's profile (positive probability, label or value), if known
 */
public record Profile(
    long rows, Map<String, FeatureProfile> features, Optional<FeatureProfile> prediction) {
  /** The file name beside {@code model.json}. */
  public static final String FILE = "profile.json";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** Freezes the features. */
  public Profile {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(prediction, "prediction");
    features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
  }

  /**
   * The profile in a model version's folder, if it has one.
   *
   * @throws InvalidManifestException naming the field when the file is malformed
   */
  public static Optional<Profile> find(Path versionDir) {
    Path file = versionDir.resolve(FILE);
    try {
      return Optional.of(fromJson(Json.mapper().readValue(Files.readString(file), MAP), file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new InvalidManifestException(
          file.toString(), List.of(new Violation(FILE, "cannot be read: " + e.getMessage())));
    }
  }

  /** Writes this profile as JSON to {@code file}. */
  public void write(Path file) {
    try {
      Files.writeString(
          file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The JSON form ({@value #FILE}'s content). */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", 1);
    out.put("rows", rows);
    Map<String, Object> fs = new LinkedHashMap<>();
    features.forEach((k, v) -> fs.put(k, json(v)));
    out.put("features", fs);
    prediction.ifPresent(p -> out.put("prediction", json(p)));
    return out;
  }

  private static Map<String, Object> json(FeatureProfile p) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (p instanceof FeatureProfile.Numeric n) {
      out.put("type", "numeric");
      out.put("edges", n.edges());
      out.put("shares", n.shares());
    } else {
      out.put("type", "categorical");
      out.put("shares", ((FeatureProfile.Categorical) p).shares());
    }
    out.put("null", p.nullShare());
    return out;
  }

  /**
   * Reads the JSON form.
   *
   * @throws InvalidManifestException naming every malformed field
   */
  public static Profile fromJson(Map<String, Object> json, Path file) {
    List<Violation> v = new ArrayList<>();
    Map<String, FeatureProfile> features = new LinkedHashMap<>();
    Optional<FeatureProfile> prediction = Optional.empty();
    long rows = json.get("rows") instanceof Number n ? n.longValue() : -1;
    if (rows < 0) {
      v.add(new Violation("rows", "must be a count of rows"));
    }
    if (json.get("features") instanceof Map<?, ?> fs) {
      fs.forEach(
          (k, f) ->
              feature("features." + k, f, v).ifPresent(p -> features.put(String.valueOf(k), p)));
    } else {
      v.add(new Violation("features", "must be an object of feature profiles"));
    }
    if (json.containsKey("prediction")) {
      prediction = feature("prediction", json.get("prediction"), v);
    }
    if (!v.isEmpty()) {
      throw new InvalidManifestException(file.toString(), v);
    }
    return new Profile(rows, features, prediction);
  }

  private static Optional<FeatureProfile> feature(String field, Object raw, List<Violation> v) {
    if (!(raw instanceof Map<?, ?> m)) {
      v.add(new Violation(field, "must be an object"));
      return Optional.empty();
    }
    double nullShare = m.get("null") instanceof Number n ? n.doubleValue() : 0;
    try {
      if ("numeric".equals(m.get("type"))) {
        return Optional.of(
            new FeatureProfile.Numeric(
                numbers(m.get("edges")), numbers(m.get("shares")), nullShare));
      }
      if ("categorical".equals(m.get("type")) && m.get("shares") instanceof Map<?, ?> s) {
        Map<String, Double> shares = new LinkedHashMap<>();
        s.forEach((k, x) -> shares.put(String.valueOf(k), ((Number) x).doubleValue()));
        return Optional.of(new FeatureProfile.Categorical(shares, nullShare));
      }
      v.add(
          new Violation(
              field + ".type",
              "must be \"numeric\" (with edges and shares) or \"categorical\" (with shares)"));
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      v.add(new Violation(field, "is malformed: " + e.getMessage()));
    }
    return Optional.empty();
  }

  private static List<Double> numbers(Object raw) {
    List<Double> out = new ArrayList<>();
    for (Object o : (List<?>) raw) {
      out.add(((Number) o).doubleValue());
    }
    return out;
  }
}
