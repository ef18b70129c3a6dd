package dev.augur.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.augur.core.Classification;
import dev.augur.core.DataSource;
import dev.augur.core.Forecast;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import dev.augur.core.Regression;
import dev.augur.core.model.ModelRegistry;
import dev.augur.core.source.Point;
import dev.augur.core.source.Sources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample models trained by {@code samples/train/train_*.py}: every package loads, answers its
 * manifest example, and reproduces in Java the held-out metric its training script recorded in
 * {@code metrics.json}, from the raw test split in {@code test.csv}.
 */
class SampleModelsTest {
  private static final Path MODELS = Path.of("models");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ModelRegistry registry;

  @BeforeAll
  static void open() {
    registry = ModelRegistry.open(MODELS);
  }

  @AfterAll
  static void close() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void everySampleModelIsLoaded() {
    assertThat(registry.names())
        .containsExactlyInAnyOrder("digits", "flights", "sentiment", "stocks", "titanic");
  }

  @ParameterizedTest
  @ValueSource(strings = {"titanic", "digits", "stocks", "sentiment", "flights"})
  void predictsTheManifestExample(String name) {
    Predictor p = registry.predictor(name);
    Observation example = p.manifest().example().orElseThrow();
    Prediction got = p.predict(example);
    assertThat(got.task()).isEqualTo(p.manifest().task());
    if (got instanceof Classification c) {
      assertThat(c.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
          .isCloseTo(1.0, within(1e-5));
      assertThat(c.probabilities()).containsKey(c.label());
    } else if (got instanceof Regression r) {
      assertThat(r.value()).isFinite();
    } else if (got instanceof Forecast f) {
      assertThat(f.values()).hasSize(14);
      assertThat(f.values()).allSatisfy(v -> assertThat(v).isPositive());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"titanic", "digits", "stocks", "sentiment", "flights"})
  void reproducesTheHeldOutMetric(String name) throws IOException {
    Predictor p = registry.predictor(name);
    Path dir = p.manifest().directory();
    JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
    List<Map<String, String>> rows = readCsv(dir.resolve(metrics.get("test_split").asText()));
    assertThat(rows).hasSize(metrics.get("test_rows").asInt());

    List<Observation> observations = new ArrayList<>();
    for (Map<String, String> row : rows) {
      Map<String, String> fields = new LinkedHashMap<>(row);
      fields.remove("target");
      observations.add(
          name.equals("digits") ? Observation.of(Map.of("image", pixels(fields))) : query(fields));
    }
    List<Prediction> predictions = new ArrayList<>();
    for (int i = 0; i < observations.size(); i += 64) {
      predictions.addAll(
          p.predictBatch(observations.subList(i, Math.min(i + 64, observations.size()))));
    }

    double expected = metrics.get("model").asDouble();
    switch (metrics.get("test_metric").asText()) {
      case "accuracy" -> {
        int right = 0;
        for (int i = 0; i < rows.size(); i++) {
          Classification c = (Classification) predictions.get(i);
          if (c.label().equals(rows.get(i).get("target"))) {
            right++;
          }
        }
        assertThat((double) right / rows.size()).isCloseTo(expected, within(1e-3));
      }
      case "mae" -> {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rows.size(); i++) {
          List<Double> truth = numbers(rows.get(i).get("target"));
          List<Double> got =
              predictions.get(i) instanceof Forecast f
                  ? f.values()
                  : List.of(((Regression) predictions.get(i)).value());
          assertThat(got).hasSameSizeAs(truth);
          for (int k = 0; k < got.size(); k++) {
            sum += Math.abs(got.get(k) - truth.get(k));
            n++;
          }
        }
        assertThat(sum / n).isCloseTo(expected, within(1e-3 * Math.abs(expected)));
      }
      default -> throw new AssertionError("unknown metric in " + dir.resolve("metrics.json"));
    }
  }

  @Test
  void stocksSourceFeedsTheForecastModel() {
    try (Sources sources = Sources.read(MODELS)) {
      DataSource stocks = sources.get("stocks");
      assertThat(stocks.keys())
          .containsExactlyInAnyOrder(
              "BASI", "CONG", "CONS", "FINA", "HLTH", "INDU", "SPI", "TECH", "TELE", "UTIL");
      List<Point> last = stocks.fetch("SPI", 30);
      assertThat(last).hasSize(30);
      List<Double> closes = last.stream().map(Point::y).toList();
      Forecast f =
          (Forecast) registry.predictor("stocks").predict(Observation.of(Map.of("closes", closes)));
      assertThat(f.values()).hasSize(14);
      assertThat(f.values().get(0)).isCloseTo(closes.get(29), within(0.1 * closes.get(29)));
    }
  }

  /** A test row as a query-form observation: empty values are null, the schema coerces text. */
  private static Observation query(Map<String, String> fields) {
    return Observation.ofStrings(fields);
  }

  /** Digits rows hold px0..px63; the image feature takes a nested [8][8] array. */
  private static List<List<Integer>> pixels(Map<String, String> fields) {
    List<List<Integer>> image = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      List<Integer> line = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        line.add(Integer.parseInt(fields.get("px" + (8 * r + c))));
      }
      image.add(line);
    }
    return image;
  }

  private static List<Double> numbers(String commaSeparated) {
    List<Double> out = new ArrayList<>();
    for (String s : commaSeparated.split(",")) {
      out.add(Double.parseDouble(s.trim()));
    }
    return out;
  }

  /** RFC 4180 CSV with a header row (quoted fields, doubled quotes; no line breaks in fields). */
  static List<Map<String, String>> readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> header = splitCsv(lines.get(0));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> values = splitCsv(line);
      assertThat(values).as("fields of %s in %s", line, file).hasSameSizeAs(header);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), values.get(i));
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
