package dev.augur.core.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.ChartException;
import dev.augur.core.history.CalibrationBin;
import dev.augur.core.history.MetricPoint;
import dev.augur.core.internal.Json;
import dev.augur.core.source.Point;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads, writes and checks chart specs: the JSON forms of {@code POST /plot} and the limits every
 * {@link dev.augur.core.ChartRenderer} enforces. Stateless and thread-safe.
 *
 * <pre>{@code
 * ChartSpec spec = ChartSpecs.fromJson(
 *     "{\"kind\": \"probabilities\", \"probabilities\": {\"died\": 0.83, \"survived\": 0.17}}");
 * byte[] png = renderer.render(spec, ImageFormat.PNG);
 * }</pre>
 */
public final class ChartSpecs {
  /** The kinds that have a JSON form ({@code POST /plot}). */
  public static final List<String> JSON_KINDS =
      List.of("forecast", "probabilities", "line", "histogram");

  /** Every kind a renderer draws: the JSON kinds and the model charts. */
  public static final List<String> KINDS =
      List.of(
          "forecast",
          "probabilities",
          "line",
          "histogram",
          "volume",
          "scores",
          "quality",
          "calibration",
          "confusion",
          "drift");

  /** The smallest width or height in pixels. */
  public static final int MIN_SIZE = 100;

  /** The largest width or height in pixels. */
  public static final int MAX_SIZE = 4000;

  /** The most data points (values, cells, bars) one chart may hold. */
  public static final int MAX_POINTS = 100_000;

  /** The most bins of a histogram. */
  public static final int MAX_BINS = 1000;

  /** The most labels of a confusion matrix. */
  public static final int MAX_LABELS = 100;

  private ChartSpecs() {}

  // ---------------------------------------------------------------- validation

  /**
   * Checks a spec's size and content: sizes within {@value #MIN_SIZE} to {@value #MAX_SIZE}, at
   * most {@value #MAX_POINTS} points, nothing empty, no NaN or infinite number, no mismatched sizes
   * or mixed time types.
   *
   * @return the spec, for chaining
   * @throws ChartException naming the first offending field, e.g. {@code forecast[3].y is NaN}
   */
  public static ChartSpec validate(ChartSpec spec) {
    Objects.requireNonNull(spec, "spec");
    size("width", spec.width());
    size("height", spec.height());
    if (spec.title() == null) {
      throw new ChartException("title is missing");
    }
    if (spec instanceof ForecastChart c) {
      validateForecast(c);
    } else if (spec instanceof ProbabilitiesChart c) {
      validateProbabilities(c);
    } else if (spec instanceof LineChart c) {
      validateLine(c);
    } else if (spec instanceof HistogramChart c) {
      nonEmpty("values", c.values().size());
      points(c.values().size());
      finiteAll("values", c.values());
      if (c.bins() < 1 || c.bins() > MAX_BINS) {
        throw new ChartException("bins is " + c.bins() + "; expected 1 to " + MAX_BINS);
      }
    } else if (spec instanceof ScoresChart c) {
      nonEmpty("scores", c.scores().size());
      points(c.scores().size());
      finiteAll("scores", c.scores());
    } else if (spec instanceof VolumeChart c) {
      validateMetricPoints("points", c.points(), false);
    } else if (spec instanceof QualityChart c) {
      validateMetricPoints("points", c.points(), true);
    } else if (spec instanceof CalibrationChart c) {
      validateCalibration(c);
    } else if (spec instanceof ConfusionChart c) {
      validateConfusion(c);
    } else if (spec instanceof DriftChart c) {
      nonEmpty("features", c.features().size());
      points(c.features().size());
      finite("threshold", c.threshold());
      for (int i = 0; i < c.features().size(); i++) {
        int k = i;
        c.features().get(i).value().ifPresent(v -> finite("features[" + k + "].value", v));
      }
    } else {
      throw new ChartException(
          "kind '" + spec.kind() + "' is unknown; known kinds: " + String.join(", ", KINDS));
    }
    return spec;
  }

  private static void validateForecast(ForecastChart c) {
    nonEmpty("forecast", c.forecast().size());
    points(c.history().size() + c.forecast().size());
    TimeAxis axis = new TimeAxis();
    for (int i = 0; i < c.history().size(); i++) {
      Point p = c.history().get(i);
      String f = "history[" + i + "]";
      axis.check(f + ".t", p.t());
      finite(f + ".y", p.y());
    }
    for (int i = 0; i < c.forecast().size(); i++) {
      ForecastPoint p = c.forecast().get(i);
      String f = "forecast[" + i + "]";
      axis.check(f + ".t", p.t());
      finite(f + ".y", p.y());
      if (p.lower() != null) {
        finite(f + ".lower", p.lower());
      }
      if (p.upper() != null) {
        finite(f + ".upper", p.upper());
      }
      if ((p.lower() == null) != (p.upper() == null)) {
        throw new ChartException(
            f + " has only " + (p.lower() == null ? "upper" : "lower") + "; give both or neither");
      }
      if (p.hasBand() && p.lower() > p.upper()) {
        throw new ChartException(f + ".lower is " + p.lower() + ", above upper " + p.upper());
      }
    }
  }

  private static void validateProbabilities(ProbabilitiesChart c) {
    nonEmpty("probabilities", c.probabilities().size());
    points(c.probabilities().size());
    for (Map.Entry<String, Double> e : c.probabilities().entrySet()) {
      String f = "probabilities[" + e.getKey() + "]";
      finite(f, e.getValue());
      if (e.getValue() < 0 || e.getValue() > 1) {
        throw new ChartException(f + " is " + e.getValue() + "; expected 0 to 1");
      }
    }
  }

  private static void validateLine(LineChart c) {
    nonEmpty("series", c.series().size());
    int total = 0;
    TimeAxis axis = new TimeAxis();
    Map<String, Integer> names = new HashMap<>();
    for (int s = 0; s < c.series().size(); s++) {
      Series series = c.series().get(s);
      String f = "series[" + s + "]";
      Integer before = names.putIfAbsent(series.name(), s);
      if (before != null) {
        throw new ChartException(
            f + ".name '" + series.name() + "' repeats series[" + before + "].name");
      }
      nonEmpty(f + ".points", series.points().size());
      total += series.points().size();
      points(total);
      for (int i = 0; i < series.points().size(); i++) {
        Point p = series.points().get(i);
        axis.check(f + ".points[" + i + "].t", p.t());
        finite(f + ".points[" + i + "].y", p.y());
      }
    }
  }

  private static void validateMetricPoints(
      String field, List<MetricPoint> list, boolean needsValue) {
    nonEmpty(field, list.size());
    points(list.size());
    boolean anyValue = false;
    for (int i = 0; i < list.size(); i++) {
      MetricPoint p = list.get(i);
      if (p.count() < 0) {
        throw new ChartException(field + "[" + i + "].count is " + p.count() + "; expected >= 0");
      }
      if (p.value().isPresent()) {
        finite(field + "[" + i + "].value", p.value().get());
        anyValue = true;
      }
    }
    if (needsValue && !anyValue) {
      throw new ChartException(field + " has no value yet (no bucket has labelled outcomes)");
    }
  }

  private static void validateCalibration(CalibrationChart c) {
    nonEmpty("bins", c.bins().size());
    points(c.bins().size());
    for (int i = 0; i < c.bins().size(); i++) {
      CalibrationBin b = c.bins().get(i);
      String f = "bins[" + i + "]";
      unit(f + ".lower", b.lower());
      unit(f + ".upper", b.upper());
      unit(f + ".meanPredicted", b.meanPredicted());
      unit(f + ".observedRate", b.observedRate());
      if (b.count() < 0) {
        throw new ChartException(f + ".count is " + b.count() + "; expected >= 0");
      }
    }
  }

  private static void validateConfusion(ConfusionChart c) {
    int n = c.labels().size();
    nonEmpty("labels", n);
    if (n > MAX_LABELS) {
      throw new ChartException("labels has " + n + " entries; at most " + MAX_LABELS);
    }
    if (c.counts().size() != n) {
      throw new ChartException(
          "counts has " + c.counts().size() + " rows; expected " + n + " (one per label)");
    }
    for (int i = 0; i < n; i++) {
      List<Long> row = c.counts().get(i);
      if (row.size() != n) {
        throw new ChartException(
            "counts[" + i + "] has " + row.size() + " columns; expected " + n + " (one per label)");
      }
      for (int j = 0; j < n; j++) {
        if (row.get(j) < 0) {
          throw new ChartException(
              "counts[" + i + "][" + j + "] is " + row.get(j) + "; expected >= 0");
        }
      }
    }
  }

  private static void size(String field, int value) {
    if (value < MIN_SIZE || value > MAX_SIZE) {
      throw new ChartException(
          field + " is " + value + "; expected " + MIN_SIZE + " to " + MAX_SIZE + " pixels");
    }
  }

  private static void nonEmpty(String field, int size) {
    if (size == 0) {
      throw new ChartException(field + " is empty");
    }
  }

  private static void points(int count) {
    if (count > MAX_POINTS) {
      throw new ChartException(
          "the chart has " + count + " points; at most " + MAX_POINTS + " are drawn");
    }
  }

  private static void finite(String field, double v) {
    if (Double.isNaN(v)) {
      throw new ChartException(field + " is NaN");
    }
    if (Double.isInfinite(v)) {
      throw new ChartException(field + " is " + (v > 0 ? "Infinity" : "-Infinity"));
    }
  }

  private static void finiteAll(String field, List<Double> values) {
    for (int i = 0; i < values.size(); i++) {
      finite(field + "[" + i + "]", values.get(i));
    }
  }

  private static void unit(String field, double v) {
    finite(field, v);
    if (v < 0 || v > 1) {
      throw new ChartException(field + " is " + v + "; expected 0 to 1");
    }
  }

  /** Whether a point's time is a number rather than a date or date-time. */
  public static boolean isNumericTime(Object t) {
    return t instanceof Number;
  }

  /** Remembers whether a chart's times are numbers or dates, so that they are not mixed. */
  private static final class TimeAxis {
    private String firstField;
    private boolean numeric;

    void check(String field, Object t) {
      boolean isNumber = isNumericTime(t);
      if (isNumber) {
        finite(field, ((Number) t).doubleValue());
      }
      if (firstField == null) {
        firstField = field;
        numeric = isNumber;
      } else if (numeric != isNumber) {
        throw new ChartException(
            field
                + " is "
                + (isNumber ? "a number" : "a date/time")
                + " but "
                + firstField
                + " is "
                + (numeric ? "a number" : "a date/time")
                + "; a chart's times are all dates or all numbers");
      }
    }
  }

  // ---------------------------------------------------------------- JSON

  /**
   * Reads a JSON chart spec of {@code POST /plot}: kind {@code forecast}, {@code probabilities},
   * {@code line} or {@code histogram}, with optional {@code title}, {@code width} and {@code
   * height}. A time {@code t} is an ISO date ({@code "2008-09-01"}), an ISO date-time with or
   * without offset, or a number. The result is {@linkplain #validate validated}; unknown fields are
   * ignored.
   *
   * @param json the spec's JSON text, an object
   * @throws ChartException naming the field of the first problem, or when the text is not JSON
   */
  public static ChartSpec fromJson(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new ChartException("the chart spec is not valid JSON: " + e.getOriginalMessage());
    }
    return read(node);
  }

  private static ChartSpec read(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new ChartException("the chart spec must be a JSON object");
    }
    JsonNode kindNode = json.get("kind");
    if (kindNode == null || kindNode.isNull()) {
      throw new ChartException("kind is missing; known kinds: " + String.join(", ", JSON_KINDS));
    }
    if (!kindNode.isTextual()) {
      throw new ChartException("kind must be a string, one of: " + String.join(", ", JSON_KINDS));
    }
    String kind = kindNode.asText();
    String title = optionalText(json, "title");
    int width = optionalInt(json, "width", ChartSpec.DEFAULT_WIDTH);
    int height = optionalInt(json, "height", ChartSpec.DEFAULT_HEIGHT);
    ChartSpec spec =
        switch (kind) {
          case "forecast" ->
              new ForecastChart(
                  title,
                  width,
                  height,
                  readPoints(optionalArray(json, "history"), "history"),
                  readForecast(requiredArray(json, "forecast"), "forecast"));
          case "probabilities" ->
              new ProbabilitiesChart(title, width, height, readProbabilities(json));
          case "line" -> new LineChart(title, width, height, readSeries(json));
          case "histogram" ->
              new HistogramChart(
                  title,
                  width,
                  height,
                  readNumbers(requiredArray(json, "values"), "values"),
                  optionalInt(json, "bins", HistogramChart.DEFAULT_BINS));
          default ->
              throw new ChartException(
                  "kind '"
                      + kind
                      + "' is unknown; known kinds: "
                      + String.join(", ", JSON_KINDS)
                      + (KINDS.contains(kind)
                          ? " ('"
                              + kind
                              + "' is a model chart: GET /models/{m}/charts/"
                              + kind
                              + ".png)"
                          : ""));
        };
    return validate(spec);
  }

  /**
   * Writes a spec of a JSON kind in the form {@link #fromJson} reads. Times are written as ISO text
   * (an {@link Instant} as a UTC date-time, which reads back as an {@link OffsetDateTime}) or
   * numbers.
   *
   * @return the spec's JSON text, an object
   * @throws ChartException for the model chart kinds, which have no JSON form
   */
  public static String toJson(ChartSpec spec) {
    return write(spec).toString();
  }

  private static ObjectNode write(ChartSpec spec) {
    Objects.requireNonNull(spec, "spec");
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode out = f.objectNode();
    out.put("kind", spec.kind());
    if (!spec.title().isEmpty()) {
      out.put("title", spec.title());
    }
    out.put("width", spec.width());
    out.put("height", spec.height());
    if (spec instanceof ForecastChart c) {
      out.set("history", writePoints(c.history()));
      ArrayNode arr = out.putArray("forecast");
      for (ForecastPoint p : c.forecast()) {
        ObjectNode o = arr.addObject();
        o.set("t", writeTime(p.t()));
        o.put("y", p.y());
        if (p.lower() != null) {
          o.put("lower", p.lower());
        }
        if (p.upper() != null) {
          o.put("upper", p.upper());
        }
      }
    } else if (spec instanceof ProbabilitiesChart c) {
      ObjectNode probs = out.putObject("probabilities");
      c.probabilities().forEach(probs::put);
    } else if (spec instanceof LineChart c) {
      ArrayNode arr = out.putArray("series");
      for (Series s : c.series()) {
        ObjectNode o = arr.addObject();
        o.put("name", s.name());
        o.set("points", writePoints(s.points()));
      }
    } else if (spec instanceof HistogramChart c) {
      ArrayNode arr = out.putArray("values");
      c.values().forEach(arr::add);
      out.put("bins", c.bins());
    } else {
      throw new ChartException(
          "kind '"
              + spec.kind()
              + "' has no JSON form; JSON kinds: "
              + String.join(", ", JSON_KINDS));
    }
    return out;
  }

  private static ArrayNode writePoints(List<Point> points) {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    for (Point p : points) {
      ObjectNode o = arr.addObject();
      o.set("t", writeTime(p.t()));
      o.put("y", p.y());
    }
    return arr;
  }

  private static JsonNode writeTime(Object t) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (t instanceof Number n) {
      return f.numberNode(n.doubleValue());
    }
    return f.textNode(t.toString());
  }

  private static String optionalText(JsonNode json, String field) {
    JsonNode n = json.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw new ChartException(field + " must be a string");
    }
    return n.asText();
  }

  private static int optionalInt(JsonNode json, String field, int fallback) {
    JsonNode n = json.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToInt()) {
      throw new ChartException(field + " must be an integer");
    }
    return n.intValue();
  }

  private static ArrayNode optionalArray(JsonNode json, String field) {
    JsonNode n = json.get(field);
    if (n == null || n.isNull()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!n.isArray()) {
      throw new ChartException(field + " must be an array");
    }
    return (ArrayNode) n;
  }

  private static ArrayNode requiredArray(JsonNode json, String field) {
    JsonNode n = json.get(field);
    if (n == null || n.isNull()) {
      throw new ChartException(field + " is missing");
    }
    return optionalArray(json, field);
  }

  private static List<Point> readPoints(ArrayNode arr, String field) {
    List<Point> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      String f = field + "[" + i + "]";
      JsonNode p = object(arr.get(i), f);
      out.add(new Point(readTime(p, f), readNumber(p.get("y"), f + ".y")));
    }
    return out;
  }

  private static List<ForecastPoint> readForecast(ArrayNode arr, String field) {
    List<ForecastPoint> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      String f = field + "[" + i + "]";
      JsonNode p = object(arr.get(i), f);
      out.add(
          new ForecastPoint(
              readTime(p, f),
              readNumber(p.get("y"), f + ".y"),
              optionalNumber(p.get("lower"), f + ".lower"),
              optionalNumber(p.get("upper"), f + ".upper")));
    }
    return out;
  }

  private static Map<String, Double> readProbabilities(JsonNode json) {
    JsonNode n = json.get("probabilities");
    if (n == null || n.isNull()) {
      throw new ChartException("probabilities is missing");
    }
    if (!n.isObject()) {
      throw new ChartException("probabilities must be an object of label to probability");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      out.put(e.getKey(), readNumber(e.getValue(), "probabilities[" + e.getKey() + "]"));
    }
    return out;
  }

  private static List<Series> readSeries(JsonNode json) {
    ArrayNode arr = requiredArray(json, "series");
    List<Series> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      String f = "series[" + i + "]";
      JsonNode s = object(arr.get(i), f);
      JsonNode name = s.get("name");
      String n;
      if (name == null || name.isNull()) {
        n = arr.size() == 1 ? "" : "series " + (i + 1);
      } else if (name.isTextual()) {
        n = name.asText();
      } else {
        throw new ChartException(f + ".name must be a string");
      }
      out.add(new Series(n, readPoints(requiredArray(s, "points", f + ".points"), f + ".points")));
    }
    return out;
  }

  private static ArrayNode requiredArray(JsonNode json, String key, String field) {
    JsonNode n = json.get(key);
    if (n == null || n.isNull()) {
      throw new ChartException(field + " is missing");
    }
    if (!n.isArray()) {
      throw new ChartException(field + " must be an array");
    }
    return (ArrayNode) n;
  }

  private static List<Double> readNumbers(ArrayNode arr, String field) {
    List<Double> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      out.add(readNumber(arr.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  private static JsonNode object(JsonNode n, String field) {
    if (n == null || !n.isObject()) {
      throw new ChartException(field + " must be an object");
    }
    return n;
  }

  private static double readNumber(JsonNode n, String field) {
    if (n == null || n.isNull()) {
      throw new ChartException(field + " is missing");
    }
    if (!n.isNumber()) {
      throw new ChartException(field + " must be a number");
    }
    return n.doubleValue();
  }

  private static Double optionalNumber(JsonNode n, String field) {
    return n == null || n.isNull() ? null : readNumber(n, field);
  }

  private static Object readTime(JsonNode point, String field) {
    JsonNode t = point.get("t");
    String f = field + ".t";
    if (t == null || t.isNull()) {
      throw new ChartException(f + " is missing");
    }
    if (t.isNumber()) {
      return t.doubleValue();
    }
    if (t.isTextual()) {
      return parseTime(t.asText())
          .orElseThrow(
              () ->
                  new ChartException(
                      f
                          + " is not an ISO date (2008-09-01), date-time"
                          + " (2008-09-01T12:00:00, optionally with an offset) or a number"));
    }
    throw new ChartException(f + " must be an ISO date/time string or a number");
  }

  /**
   * Parses an ISO date ({@code 2008-09-01}), a local date-time ({@code 2008-09-01T12:00}, a space
   * instead of {@code T} allowed) or an offset date-time ({@code 2008-09-01T12:00:00Z}, {@code
   * +02:00}).
   */
  static Optional<Object> parseTime(String text) {
    String s = text.trim();
    try {
      if (s.length() == 10) {
        return Optional.of(LocalDate.parse(s));
      }
      if (s.length() > 10) {
        String iso = s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        boolean zoned = iso.endsWith("Z") || iso.matches(".*T.*[+-]\\d\\d(:?\\d\\d)?$");
        return Optional.of(zoned ? OffsetDateTime.parse(iso) : LocalDateTime.parse(iso));
      }
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
