package dev.augur.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Violation;
import dev.augur.core.model.Scale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code inputs} of a manifest into features, collecting every problem. */
final class FeatureReader {
  private final Path modelDir;
  private final List<Violation> problems;
  private String at;

  private FeatureReader(Path modelDir, List<Violation> problems) {
    this.modelDir = modelDir;
    this.problems = problems;
  }

  static List<Feature> readAll(JsonNode inputs, Path modelDir, List<Violation> problems) {
    FeatureReader r = new FeatureReader(modelDir, problems);
    List<Feature> out = new ArrayList<>();
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      problems.add(new Violation("inputs", "must be a non-empty array of features"));
      return out;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      r.at = "inputs[" + i + "]";
      JsonNode n = inputs.get(i);
      if (!n.isObject()) {
        r.problem("", "must be an object with name and type");
        continue;
      }
      Feature f = r.read(n);
      if (f != null) {
        if (!names.add(f.name())) {
          r.problem(".name", "duplicate feature name '" + f.name() + "'");
        }
        out.add(f);
      }
    }
    return out;
  }

  private void problem(String field, String message) {
    problems.add(new Violation(at + field, message));
  }

  private Feature read(JsonNode n) {
    String name = text(n, "name");
    if (name == null || name.isBlank()) {
      problem(".name", "is required");
      return null;
    }
    at = at + " (" + name + ")";
    String typeId = text(n, "type");
    if (typeId == null) {
      problem(".type", "is required");
      return null;
    }
    Optional<FeatureType> type = FeatureType.fromId(typeId);
    if (type.isEmpty()) {
      problem(
          ".type",
          "unknown feature type '"
              + typeId
              + "'; expected number, integer, boolean, category, datetime, text, image or series");
      return null;
    }
    boolean nullable = n.path("nullable").asBoolean(false);
    int before = problems.size();
    Feature f =
        switch (type.get()) {
          case NUMBER, INTEGER -> number(n, name, type.get() == FeatureType.INTEGER, nullable);
          case BOOLEAN -> new BooleanFeature(name, nullable, Optional.empty());
          case CATEGORY -> category(n, name, nullable);
          case DATETIME -> datetime(n, name, nullable);
          case TEXT -> text(n, name, nullable);
          case IMAGE -> image(n, name, nullable);
          case SERIES -> series(n, name, nullable);
        };
    return problems.size() > before ? null : f;
  }

  private NumberFeature number(JsonNode n, String name, boolean integer, boolean nullable) {
    Optional<Double> impute = optDouble(n, "impute");
    if (nullable && impute.isEmpty()) {
      problem(".impute", "is required for a nullable " + (integer ? "integer" : "number"));
    }
    Optional<Scale> scale = Optional.empty();
    if (n.has("scale")) {
      scale = scale(n.get("scale"), ".scale");
    }
    Optional<Double> min = optDouble(n, "min");
    Optional<Double> max = optDouble(n, "max");
    if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
      problem(".min", "must not be greater than max");
    }
    return new NumberFeature(name, integer, nullable, impute, scale, min, max);
  }

  private Optional<Scale> scale(JsonNode s, String field) {
    if (!s.isObject() || !s.path("mean").isNumber() || !s.path("std").isNumber()) {
      problem(field, "must be an object {\"mean\": number, \"std\": number}");
      return Optional.empty();
    }
    double std = s.get("std").asDouble();
    if (!(std > 0) || !Double.isFinite(std) || !Double.isFinite(s.get("mean").asDouble())) {
      problem(field + ".std", "must be a positive finite number");
      return Optional.empty();
    }
    return Optional.of(new Scale(s.get("mean").asDouble(), std));
  }

  private CategoryFeature category(JsonNode n, String name, boolean nullable) {
    JsonNode cats = n.get("categories");
    if (cats == null || !cats.isArray() || cats.isEmpty()) {
      problem(".categories", "must be a non-empty array");
      return null;
    }
    List<Object> values = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < cats.size(); i++) {
      JsonNode c = cats.get(i);
      Object v = c.isTextual() ? c.asText() : c.isNumber() ? (Object) c.numberValue() : null;
      if (v == null) {
        problem(".categories[" + i + "]", "must be a string or a number");
        continue;
      }
      if (!seen.add(Values.categoryKey(v))) {
        problem(".categories[" + i + "]", "duplicate category '" + v + "'");
      }
      values.add(v);
    }
    return new CategoryFeature(name, nullable, values);
  }

  private DatetimeFeature datetime(JsonNode n, String name, boolean nullable) {
    JsonNode parts = n.get("parts");
    List<DatetimePart> list = new ArrayList<>();
    if (parts == null || !parts.isArray() || parts.isEmpty()) {
      problem(
          ".parts",
          "must be a non-empty array of year, month, dayofmonth, dayofweek, dayofyear, hour, minute");
    } else {
      for (int i = 0; i < parts.size(); i++) {
        Optional<DatetimePart> p = DatetimePart.fromId(parts.get(i).asText());
        if (p.isEmpty()) {
          problem(
              ".parts[" + i + "]",
              "unknown part '"
                  + parts.get(i).asText()
                  + "'; expected year, month, dayofmonth, dayofweek, dayofyear, hour or minute");
        } else {
          list.add(p.get());
        }
      }
    }
    ZoneId zone = ZoneOffset.UTC;
    String tz = text(n, "timezone");
    if (tz != null) {
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException e) {
        problem(
            ".timezone",
            "unknown time zone '" + tz + "'; expected an IANA id such as Europe/Paris");
      }
    }
    return new DatetimeFeature(name, nullable, list, zone);
  }

  private TextFeature text(JsonNode n, String name, boolean nullable) {
    JsonNode t = n.get("tokenizer");
    if (t == null || !t.isObject()) {
      problem(".tokenizer", "is required for a text feature");
      return null;
    }
    String type = t.path("type").asText("word");
    if (!type.equals("word")) {
      problem(".tokenizer.type", "unknown tokenizer '" + type + "'; expected word");
    }
    String vocab = t.path("vocabulary").asText(null);
    int maxLength = t.path("max_length").asInt(0);
    if (maxLength < 1 || maxLength > 100_000) {
      problem(".tokenizer.max_length", "must be an integer within 1..100000");
    }
    int padId = t.path("pad_id").asInt(0);
    int unknownId = t.path("unknown_id").asInt(1);
    Map<String, Integer> vocabulary = new HashMap<>();
    if (vocab == null) {
      problem(".tokenizer.vocabulary", "is required (a file with one token a line)");
    } else {
      Path file = modelDir.resolve(vocab).normalize();
      if (!file.startsWith(modelDir.normalize()) || !Files.isRegularFile(file)) {
        problem(".tokenizer.vocabulary", "file '" + vocab + "' not found in the model folder");
      } else {
        try {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            vocabulary.putIfAbsent(lines.get(i), i);
          }
        } catch (IOException e) {
          problem(".tokenizer.vocabulary", "cannot read '" + vocab + "': " + e.getMessage());
        }
      }
    }
    boolean lowercase = t.path("lowercase").asBoolean(true);
    if (maxLength < 1) {
      return null;
    }
    return new TextFeature(
        name,
        nullable,
        new Tokenizer(vocabulary, vocab, lowercase, maxLength, padId, unknownId),
        n.path("max_chars").asInt(TextFeature.DEFAULT_MAX_CHARS));
  }

  /** Image and series options may sit on the feature or in a nested object of that name. */
  private static JsonNode options(JsonNode n, String nested) {
    JsonNode o = n.get(nested);
    return o != null && o.isObject() ? o : n;
  }

  private ImageFeature image(JsonNode n, String name, boolean nullable) {
    JsonNode o = options(n, "image");
    int width = o.path("width").asInt(0);
    int height = o.path("height").asInt(0);
    int channels = o.path("channels").asInt(1);
    if (width < 1 || width > 4096) {
      problem(".width", "must be an integer within 1..4096");
    }
    if (height < 1 || height > 4096) {
      problem(".height", "must be an integer within 1..4096");
    }
    if (channels != 1 && channels != 3) {
      problem(".channels", "must be 1 or 3");
    }
    double scale = o.path("scale").asDouble(1.0);
    double[] mean = doubles(o, "mean", channels);
    double[] std = doubles(o, "std", channels);
    if (std != null) {
      for (double s : std) {
        if (!(s > 0)) {
          problem(".std", "must hold positive numbers");
          break;
        }
      }
    }
    return new ImageFeature(
        name,
        nullable,
        width,
        height,
        channels,
        scale,
        mean,
        std,
        o.path("max_bytes").asInt(ImageFeature.DEFAULT_MAX_BYTES));
  }

  private double[] doubles(JsonNode o, String key, int channels) {
    JsonNode a = o.get(key);
    if (a == null || a.isNull()) {
      return null;
    }
    if (a.isNumber()) {
      double[] d = new double[channels];
      java.util.Arrays.fill(d, a.asDouble());
      return d;
    }
    if (!a.isArray() || a.size() != channels) {
      problem("." + key, "must be an array of " + channels + " number(s), one per channel");
      return null;
    }
    double[] d = new double[channels];
    for (int i = 0; i < channels; i++) {
      d[i] = a.get(i).asDouble();
    }
    return d;
  }

  private SeriesFeature series(JsonNode n, String name, boolean nullable) {
    JsonNode o = options(n, "series");
    int window = o.path("window").asInt(0);
    if (window < 1 || window > 1_000_000) {
      problem(".window", "must be an integer within 1..1000000");
    }
    String tid = o.path("transform").asText("none");
    Optional<SeriesTransform> t = SeriesTransform.fromId(tid);
    if (t.isEmpty()) {
      problem(
          ".transform", "unknown transform '" + tid + "'; expected none, relative or standardize");
    }
    return new SeriesFeature(
        name,
        nullable,
        window,
        t.orElse(SeriesTransform.NONE),
        o.path("max_length").asInt(SeriesFeature.DEFAULT_MAX_LENGTH));
  }

  private Optional<Double> optDouble(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isNumber()) {
      problem("." + key, "must be a number");
      return Optional.empty();
    }
    return Optional.of(v.asDouble());
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }
}
