package dev.augur.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Classification;
import dev.augur.core.Forecast;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import dev.augur.core.Regression;
import dev.augur.core.model.Batching;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.schema.EncodedRow;
import dev.augur.core.schema.TensorData;
import dev.augur.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture model, every reference case: the tensors Augur builds and the predictions it
 * decodes equal those the Python script computed from the documented rules, to 1e-5.
 */
class ReferenceOutputsTest {
  private static final double TOL = 1e-5;
  private static final List<Predictor> opened = new ArrayList<>();

  @AfterAll
  static void closeAll() {
    opened.forEach(Predictor::close);
  }

  @TestFactory
  Stream<DynamicContainer> matchesPythonReference() throws IOException {
    List<Path> refs;
    try (Stream<Path> s = Files.list(Fixtures.root().resolve("reference"))) {
      refs = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(refs).hasSizeGreaterThanOrEqualTo(8);
    return refs.stream().map(ReferenceOutputsTest::suite);
  }

  private static DynamicContainer suite(Path ref) {
    JsonNode root = read(ref);
    String name = root.get("model").asText();
    Predictor p = Predictor.load(Fixtures.model(name));
    opened.add(p);
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (JsonNode c : root.get("cases")) {
      final int k = i++;
      tests.add(DynamicTest.dynamicTest(name + " case " + k, () -> check(p, c)));
    }
    tests.add(
        DynamicTest.dynamicTest(name + " batch equals singles", () -> batchEqualsSingles(p, root)));
    tests.add(
        DynamicTest.dynamicTest(
            name + " 16 threads equal sequential", () -> concurrentEqualsSequential(p, root)));
    return DynamicContainer.dynamicContainer(name, tests);
  }

  private static void check(Predictor p, JsonNode c) {
    Observation obs = Observation.of(Json.toMap(c.get("observation")));
    boolean shapeOnly = c.path("shape_only").asBoolean(false);
    EncodedRow row = p.manifest().inputs().encode(obs);
    List<TensorData> tensors = p.manifest().inputs().stack(List.of(row));
    if (!shapeOnly) {
      JsonNode expected = c.get("tensors");
      assertThat(tensors).hasSize(expected.size());
      for (int t = 0; t < tensors.size(); t++) {
        JsonNode e = expected.get(t);
        TensorData actual = tensors.get(t);
        List<Long> shape = new ArrayList<>();
        e.get("shape").forEach(d -> shape.add(d.asLong()));
        assertThat(actual.shape())
            .as("shape of tensor %d", t)
            .containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
        assertThat(actual.isLong())
            .as("dtype of tensor %d", t)
            .isEqualTo(e.get("dtype").asText().equals("int64"));
        Iterator<JsonNode> it = e.get("data").iterator();
        int n = 0;
        while (it.hasNext()) {
          double v = it.next().asDouble();
          double a = actual.isLong() ? actual.longs()[n] : actual.floats()[n];
          assertThat(a).as("tensor %d value %d", t, n).isCloseTo(v, within(TOL));
          n++;
        }
      }
    }
    Prediction got = p.predict(obs);
    if (shapeOnly) {
      assertThat(got.task()).isEqualTo(p.manifest().task());
      return;
    }
    assertMatches(got, c.get("expected"));
  }

  static void assertMatches(Prediction got, JsonNode expected) {
    if (got instanceof Classification cl) {
      assertThat(cl.label()).isEqualTo(expected.get("label").asText());
      JsonNode probs = expected.get("probabilities");
      assertThat(cl.probabilities().keySet())
          .containsExactlyElementsOf(iterable(probs.fieldNames()));
      for (Map.Entry<String, Double> e : cl.probabilities().entrySet()) {
        assertThat(e.getValue())
            .as("probability of %s", e.getKey())
            .isCloseTo(probs.get(e.getKey()).asDouble(), within(TOL));
      }
      if (expected.has("proba")) {
        assertThat(cl.proba().orElseThrow())
            .isCloseTo(expected.get("proba").asDouble(), within(TOL));
      } else {
        assertThat(cl.proba()).isEmpty();
      }
    } else if (got instanceof Regression r) {
      assertThat(r.value())
          .isCloseTo(
              expected.get("value").asDouble(), within(TOL * Math.max(1, Math.abs(r.value()))));
    } else if (got instanceof Forecast f) {
      JsonNode values = expected.get("values");
      assertThat(f.values()).hasSize(values.size());
      for (int i = 0; i < values.size(); i++) {
        double e = values.get(i).asDouble();
        assertThat(f.values().get(i))
            .as("step %d", i)
            .isCloseTo(e, within(TOL * Math.max(1, Math.abs(e))));
      }
    }
  }

  private static void batchEqualsSingles(Predictor p, JsonNode root) {
    List<Observation> obs = observations(root);
    List<Prediction> singles = obs.stream().map(p::predict).toList();
    List<Prediction> batch = p.predictBatch(obs);
    assertThat(batch).hasSize(singles.size());
    for (int i = 0; i < obs.size(); i++) {
      assertSame(batch.get(i), singles.get(i));
    }
    try (Predictor unbatched =
        Predictor.load(
            p.manifest().directory(),
            PredictorOptions.builder().batching(Batching.OFF).warmUp(false).build())) {
      for (int i = 0; i < obs.size(); i++) {
        assertSame(unbatched.predict(obs.get(i)), singles.get(i));
      }
    }
  }

  private static void concurrentEqualsSequential(Predictor p, JsonNode root) throws Exception {
    List<Observation> obs = observations(root);
    List<Prediction> expected = obs.stream().map(p::predict).toList();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Prediction>> fs = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        Observation o = obs.get(i % obs.size());
        fs.add(pool.submit(() -> p.predict(o)));
      }
      for (int i = 0; i < fs.size(); i++) {
        assertSame(fs.get(i).get(60, TimeUnit.SECONDS), expected.get(i % obs.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Batched and single forward passes may differ in the last float bits; labels may not. */
  private static void assertSame(Prediction a, Prediction b) {
    assertThat(a.getClass()).isEqualTo(b.getClass());
    if (a instanceof Classification x && b instanceof Classification y) {
      assertThat(x.label()).isEqualTo(y.label());
      x.probabilities()
          .forEach((k, v) -> assertThat(v).isCloseTo(y.probabilities().get(k), within(TOL)));
    } else if (a instanceof Regression x && b instanceof Regression y) {
      assertThat(x.value()).isCloseTo(y.value(), within(TOL * Math.max(1, Math.abs(y.value()))));
    } else if (a instanceof Forecast x && b instanceof Forecast y) {
      for (int i = 0; i < x.values().size(); i++) {
        assertThat(x.values().get(i))
            .isCloseTo(y.values().get(i), within(TOL * Math.max(1, Math.abs(y.values().get(i)))));
      }
    }
  }

  private static List<Observation> observations(JsonNode root) {
    List<Observation> obs = new ArrayList<>();
    root.get("cases").forEach(c -> obs.add(Observation.of(Json.toMap(c.get("observation")))));
    return obs;
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    List<T> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  private static JsonNode read(Path p) {
    try {
      return Json.mapper().readTree(Files.readString(p));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
