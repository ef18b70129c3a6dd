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
import java.nio.file.Path;
import java.util.ArrayList;
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
        .containsExactlyInAnyOrder(
            "digits", "flights", "sentiment", "stocks", "titanic", "titanic_forest");
  }

  @ParameterizedTest
  @ValueSource(strings = {"titanic", "digits", "stocks", "sentiment", "flights", "titanic_forest"})
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
  @ValueSource(strings = {"titanic", "digits", "stocks", "sentiment", "flights", "titanic_forest"})
  void reproducesTheHeldOutMetric(String name) throws IOException {
    Predictor p = registry.predictor(name);
    Path dir = p.manifest().directory();
    JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
    assertThat(metrics.get("test_split").asText()).isEqualTo("test.csv");
    List<TestSplit.Row> rows = TestSplit.read(dir);
    assertThat(rows).hasSize(metrics.get("test_rows").asInt());

    List<Observation> observations = new ArrayList<>();
    for (TestSplit.Row row : rows) {
      observations.add(name.equals("digits") ? row.digitImage("image") : row.observation());
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
          if (c.label().equals(rows.get(i).target())) {
            right++;
          }
        }
        assertThat((double) right / rows.size()).isCloseTo(expected, within(1e-3));
      }
      case "mae" -> {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rows.size(); i++) {
          List<Double> truth = numbers(rows.get(i).target());
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

  private static List<Double> numbers(String commaSeparated) {
    List<Double> out = new ArrayList<>();
    for (String s : commaSeparated.split(",")) {
      out.add(Double.parseDouble(s.trim()));
    }
    return out;
  }
}
