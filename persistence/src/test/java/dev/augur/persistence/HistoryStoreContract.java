package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.augur.core.Classification;
import dev.augur.core.Forecast;
import dev.augur.core.HistoryStore;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.Outcome;
import dev.augur.core.Prediction;
import dev.augur.core.PredictionConflictException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.RecordNotFoundException;
import dev.augur.core.Regression;
import dev.augur.core.Task;
import dev.augur.core.history.BinaryQuality;
import dev.augur.core.history.CalibrationBin;
import dev.augur.core.history.ForecastQuality;
import dev.augur.core.history.HistoryPage;
import dev.augur.core.history.HistoryQuery;
import dev.augur.core.history.HistoryWindow;
import dev.augur.core.history.MetricPoint;
import dev.augur.core.history.MulticlassQuality;
import dev.augur.core.history.QualityQuery;
import dev.augur.core.history.QualityReport;
import dev.augur.core.history.QualitySpec;
import dev.augur.core.history.SampleQuery;
import dev.augur.core.history.SampledRow;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link HistoryStore} must have; each database's test extends this. Models get
 * unique names per test so runs against a shared database never interfere.
 */
abstract class HistoryStoreContract {
  static final QualitySpec BINARY =
      new QualitySpec(
          Task.BINARY_CLASSIFICATION, List.of("died", "survived"), Optional.of("survived"), 0);
  static final QualitySpec MULTI =
      new QualitySpec(Task.MULTICLASS_CLASSIFICATION, List.of("a", "b", "c"), Optional.empty(), 0);
  static final QualitySpec REGRESSION =
      new QualitySpec(Task.REGRESSION, List.of(), Optional.empty(), 0);
  static final QualitySpec FORECAST =
      new QualitySpec(Task.FORECAST, List.of(), Optional.empty(), 3);

  HistoryStore store;
  String model;

  /** Opens a store on this implementation's database. */
  abstract HistoryStore open();

  @BeforeEach
  void setUp() {
    store = open();
    model = "m_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static Classification binary(double pSurvived) {
    Map<String, Double> p = new LinkedHashMap<>();
    p.put("died", 1 - pSurvived);
    p.put("survived", pSurvived);
    return new Classification(
        Task.BINARY_CLASSIFICATION,
        pSurvived >= 0.5 ? "survived" : "died",
        p,
        Optional.of("survived"));
  }

  PredictionRecord rec(String id, Instant at, Map<String, ?> obs, Prediction p) {
    return PredictionRecord.of(id, model, "1", at, Observation.of(obs), p, 1.25);
  }

  @Test
  void samplesAWindowWholeOrEvenlySpreadAndCountsIt() {
    Instant t0 = Instant.parse("2024-06-01T00:00:00Z");
    List<PredictionRecord> rs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      PredictionRecord r = rec("s" + i, t0.plusSeconds(i), Map.of("i", i), binary(i / 1000.0));
      rs.add(i % 2 == 0 ? r : withVersion(r, "2"));
    }
    store.recordAll(rs);
    List<SampledRow> all = new ArrayList<>();
    // [from, to): the record at `to` is out, the one at `from` is in
    assertThat(
            store.sample(
                model,
                new SampleQuery(t0.plusSeconds(100), t0.plusSeconds(200), 1000, Optional.empty()),
                all::add))
        .isEqualTo(100);
    assertThat(all).hasSize(100);
    assertThat(all.stream().map(r -> ((Number) r.observation().get("i")).intValue()))
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(100, 200).boxed().toList());
    SampledRow first =
        all.stream().filter(r -> r.observation().get("i").equals(100)).findFirst().orElseThrow();
    assertThat(first.label()).contains("died");
    assertThat(first.score()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.1, within(1e-12)));

    List<Integer> spread = new ArrayList<>();
    long n =
        store.sample(
            model,
            new SampleQuery(t0, t0.plusSeconds(1000), 50, Optional.empty()),
            r -> spread.add(((Number) r.observation().get("i")).intValue()));
    assertThat(n).isEqualTo(1000);
    // about one in 20, never more than 50, from all over the window, the same ones every time
    assertThat(spread).hasSizeBetween(30, 50).doesNotHaveDuplicates();
    for (int q = 0; q < 4; q++) {
      int quarter = q;
      assertThat(spread).anyMatch(i -> i / 250 == quarter);
    }
    List<Integer> again = new ArrayList<>();
    store.sample(
        model,
        new SampleQuery(t0, t0.plusSeconds(1000), 50, Optional.empty()),
        r -> again.add(((Number) r.observation().get("i")).intValue()));
    assertThat(again).containsExactlyInAnyOrderElementsOf(spread);
    List<Integer> tight = new ArrayList<>();
    store.sample(
        model,
        new SampleQuery(t0, t0.plusSeconds(1000), 999, Optional.empty()),
        r -> tight.add(((Number) r.observation().get("i")).intValue()));
    // one in two of 1000 rows asked for 999: about 500
    assertThat(tight).hasSizeBetween(400, 600);

    List<SampledRow> v2 = new ArrayList<>();
    assertThat(
            store.sample(
                model, new SampleQuery(t0, t0.plusSeconds(1000), 1000, Optional.of("2")), v2::add))
        .isEqualTo(500);
    assertThat(v2).allMatch(r -> ((Number) r.observation().get("i")).intValue() % 2 == 1);
    assertThat(
            store.sample(
                model, new SampleQuery(t0.minusSeconds(10), t0, 10, Optional.empty()), r -> {}))
        .isZero();
    assertThat(
            store.sample(
                "other-" + model,
                new SampleQuery(t0, t0.plusSeconds(1000), 10, Optional.empty()),
                r -> {}))
        .isZero();
  }

  static PredictionRecord withVersion(PredictionRecord r, String version) {
    return PredictionRecord.of(
        r.id(), r.model(), version, r.createdAt(), r.observation(), r.prediction(), r.latencyMs());
  }

  @Test
  void aShadowPredictionIsKeptBesideItsAnsweredOneOnlyListedWhenAskedAndSharesItsOutcome() {
    Instant t0 = Instant.parse("2024-07-01T00:00:00Z");
    List<PredictionRecord> answered = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answered.add(rec("a" + i, t0.plusSeconds(i), Map.of("i", i), binary(0.9)));
    }
    store.recordAll(answered);
    // the shadow version 2 predicted the same observations under the same ids, the opposite way
    for (PredictionRecord r : answered) {
      PredictionRecord s =
          withVersion(rec(r.id(), r.createdAt(), r.observation().values(), binary(0.1)), "2")
              .asShadow();
      assertThat(store.record(s).shadow()).isTrue();
    }
    // a replay of a shadow prediction is idempotent, like any other
    assertThat(store.record(withVersion(answered.get(0), "2").asShadow()).prediction())
        .isEqualTo(binary(0.1));

    assertThat(store.count(model)).isEqualTo(40);
    assertThat(store.find(model, "a3").orElseThrow().version()).isEqualTo("1");
    assertThat(store.find(model, "a3").orElseThrow().shadow()).isFalse();
    assertThat(store.latest(model, HistoryQuery.newest(100)).items())
        .hasSize(40)
        .allMatch(r -> !r.shadow() && r.version().equals("1"));
    HistoryPage shadows = store.latest(model, HistoryQuery.newest(30).shadows());
    assertThat(shadows.items()).hasSize(30).allMatch(r -> r.shadow() && r.version().equals("2"));
    assertThat(store.latest(model, new HistoryQuery(30, shadows.next(), true)).items()).hasSize(10);
    assertThat(store.range(model, t0, t0.plusSeconds(100), 100)).hasSize(40);
    assertThat(
            store.sample(
                model, new SampleQuery(t0, t0.plusSeconds(100), 100, Optional.empty()), r -> {}))
        .isEqualTo(40);
    assertThat(
            store.sample(
                model, new SampleQuery(t0, t0.plusSeconds(100), 100, Optional.of("2")), r -> {}))
        .isEqualTo(40);

    // one outcome labels both; each version is measured on the same requests
    for (PredictionRecord r : answered) {
      store.recordOutcome(model, r.id(), new Outcome.Label("survived"));
    }
    assertThat(store.latest(model, HistoryQuery.newest(1).shadows()).items().get(0).outcome())
        .contains(new Outcome.Label("survived"));
    QualityReport champion = store.quality(model, BINARY, QualityQuery.all().version("1"));
    QualityReport challenger = store.quality(model, BINARY, QualityQuery.all().version("2"));
    QualityReport answeredOnly = store.quality(model, BINARY, QualityQuery.all());
    assertThat(champion.labelled()).isEqualTo(40);
    assertThat(challenger.labelled()).isEqualTo(40);
    assertThat(answeredOnly.labelled()).isEqualTo(40);
    assertThat(champion.metrics().get("accuracy")).isEqualTo(1.0);
    // over time, per version: one bucket of a day each
    assertThat(
            store.qualityOverTime(
                model, BINARY, "accuracy", Duration.ofDays(1), QualityQuery.all().version("2")))
        .singleElement()
        .satisfies(p -> assertThat(p.value()).contains(0.0))
        .satisfies(p -> assertThat(p.count()).isEqualTo(40));
    assertThat(
            store.qualityOverTime(
                model, BINARY, "accuracy", Duration.ofDays(1), QualityQuery.all()))
        .singleElement()
        .satisfies(p -> assertThat(p.value()).contains(1.0));
    assertThat(challenger.metrics().get("accuracy")).isEqualTo(0.0);
    assertThat(answeredOnly.metrics().get("accuracy")).isEqualTo(1.0);

    // the purge takes a shadow prediction with its answered one
    assertThat(store.purgeOlderThan(t0.plusSeconds(10))).isGreaterThanOrEqualTo(20);
    assertThat(store.count(model)).isEqualTo(30);
    assertThat(store.latest(model, HistoryQuery.newest(100).shadows()).items()).hasSize(30);
  }

  @Test
  void recordsAndFindsARecordWithEverything() {
    Instant t = Instant.parse("2024-05-01T10:00:00.123456Z");
    Map<String, Object> obs = new LinkedHashMap<>();
    obs.put("Age", 22.5);
    obs.put("Sex", "male");
    obs.put("Cabin", null);
    obs.put("Image", List.of(List.of(0, 255), List.of(3, 4)));
    PredictionRecord r = store.record(rec("a1", t, obs, binary(0.8)));
    assertThat(r.id()).isEqualTo("a1");
    PredictionRecord found = store.find(model, "a1").orElseThrow();
    assertThat(found.createdAt()).isEqualTo(t);
    assertThat(found.observation().values()).isEqualTo(obs);
    assertThat(found.prediction()).isEqualTo(binary(0.8));
    assertThat(((Classification) found.prediction()).proba()).contains(0.8);
    assertThat(found.latencyMs()).isEqualTo(1.25);
    assertThat(found.outcome()).isEmpty();
    assertThat(store.find(model, "nope")).isEmpty();
    assertThat(store.find("other-model", "a1")).isEmpty();
  }

  @Test
  void storesEveryPredictionKind() {
    Instant t = Instant.now();
    store.record(rec("r", t, Map.of("x", 1), new Regression(3.5)));
    store.record(
        rec(
            "f",
            t,
            Map.of("x", 1),
            new Forecast(List.of(1.0, 2.0), List.of("2024-01-01", "2024-01-02"))));
    assertThat(store.find(model, "r").orElseThrow().prediction()).isEqualTo(new Regression(3.5));
    assertThat(store.find(model, "f").orElseThrow().prediction())
        .isEqualTo(new Forecast(List.of(1.0, 2.0), List.of("2024-01-01", "2024-01-02")));
  }

  @Test
  void sameIdSameObservationIsAReplaySameIdOtherObservationIsAConflict() {
    Instant t = Instant.now();
    PredictionRecord first = store.record(rec("x", t, Map.of("a", 1, "b", "z"), binary(0.3)));
    PredictionRecord replay =
        store.record(rec("x", t.plusSeconds(5), Map.of("b", "z", "a", 1), binary(0.9)));
    assertThat(replay.createdAt()).isEqualTo(first.createdAt());
    assertThat(replay.prediction()).isEqualTo(binary(0.3));
    assertThatThrownBy(() -> store.record(rec("x", t, Map.of("a", 2, "b", "z"), binary(0.3))))
        .isInstanceOf(PredictionConflictException.class)
        .hasMessageContaining("'x'");
    assertThat(store.count(model)).isEqualTo(1);
  }

  @Test
  void aReplayComparesNumbersByValueWhateverTheirJavaType() {
    Instant t = Instant.now();
    store.record(rec("n", t, Map.of("a", 1, "b", 0.5, "c", List.of(1, 2)), binary(0.3)));
    PredictionRecord replay =
        store.record(rec("n", t, Map.of("a", 1L, "b", 0.5f, "c", List.of(1.0, 2L)), binary(0.9)));
    assertThat(replay.prediction()).isEqualTo(binary(0.3));
    store.record(rec("f", t, Map.of("x", 1.1f), binary(0.3)));
    assertThat(store.record(rec("f", t, Map.of("x", 1.1f), binary(0.9))).prediction())
        .isEqualTo(binary(0.3));
    assertThatThrownBy(
            () ->
                store.record(
                    rec("n", t, Map.of("a", 1.5, "b", 0.5, "c", List.of(1, 2)), binary(0.3))))
        .isInstanceOf(PredictionConflictException.class);
    assertThat(store.count(model)).isEqualTo(2);
  }

  @Test
  void aBatchWithAConflictingIdIsNotWrittenAtAll() {
    Instant t = Instant.now();
    store.record(rec("taken", t, Map.of("a", 1), binary(0.3)));
    assertThatThrownBy(
            () ->
                store.recordAll(
                    List.of(
                        rec("fresh-1", t, Map.of("a", 5), binary(0.3)),
                        rec("taken", t, Map.of("a", 2), binary(0.3)),
                        rec("fresh-2", t, Map.of("a", 6), binary(0.3)))))
        .isInstanceOf(PredictionConflictException.class);
    assertThat(store.find(model, "fresh-1")).isEmpty();
    assertThat(store.find(model, "fresh-2")).isEmpty();
    assertThat(store.count(model)).isEqualTo(1);
  }

  @Test
  void eightSlowExportsDoNotStopPredictionsFromBeingRecorded() throws Exception {
    Instant t = Instant.now();
    List<PredictionRecord> rows = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      rows.add(rec("e" + i, t.plusMillis(i), Map.of("i", i), binary(0.6)));
    }
    store.recordAll(rows);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(8);
    java.util.concurrent.atomic.AtomicInteger refused =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> exports = new ArrayList<>();
      for (int r = 0; r < 8; r++) {
        exports.add(
            readers.submit(
                () -> {
                  // a client that reads the header and the first row, then stalls
                  java.io.Writer slow =
                      new java.io.Writer() {
                        int lines;

                        @Override
                        public void write(char[] c, int off, int len) {
                          if (++lines == 2) {
                            reading.countDown();
                            try {
                              release.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          }
                        }

                        @Override
                        public void flush() {}

                        @Override
                        public void close() {}
                      };
                  try {
                    store.exportCsv(model, List.of("i"), slow);
                  } catch (dev.augur.core.OverloadedException e) {
                    refused.incrementAndGet();
                    reading.countDown();
                  }
                  return null;
                }));
      }
      assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        store.record(rec("during-" + i, Instant.now(), Map.of("i", i), binary(0.4)));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("predictions are recorded while 8 exports stall")
          .isLessThan(Duration.ofSeconds(2));
      assertThat(store.find(model, "during-0")).isPresent();
      assertThat(store.isAvailable()).isTrue();
      release.countDown();
      for (Future<?> f : exports) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(refused.get()).as("exports beyond their share are refused (503)").isPositive();
    } finally {
      release.countDown();
      readers.shutdownNow();
    }
  }

  @Test
  void aRangeReachingBeyondWhatMicrosecondsHoldIsJustABound() {
    store.record(rec("far", Instant.now(), Map.of("a", 1), binary(0.3)));
    assertThat(store.range(model, Instant.MIN, Instant.MAX, 10)).hasSize(1);
    assertThat(store.range(model, Instant.parse("+300000-01-01T00:00:00Z"), Instant.MAX, 10))
        .isEmpty();
  }

  @Test
  void outcomesAreRecordedAndUnknownIdsAreNotFound() {
    store.record(rec("o", Instant.now(), Map.of("a", 1), binary(0.3)));
    PredictionRecord r = store.recordOutcome(model, "o", new Outcome.Label("survived"));
    assertThat(r.outcome()).contains(new Outcome.Label("survived"));
    assertThat(r.outcomeAt()).isPresent();
    assertThat(store.recordOutcome(model, "o", new Outcome.Label("died")).outcome())
        .contains(new Outcome.Label("died"));
    assertThatThrownBy(() -> store.recordOutcome(model, "missing", new Outcome.Label("died")))
        .isInstanceOf(RecordNotFoundException.class);
  }

  @Test
  void aPageStopsAtItsBudgetOfTextAndItsCursorGoesOn() {
    // 12 observations of 1 Mi characters each: a page of 50 would be 12 Mi, over the 8 Mi budget
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    String big = "x".repeat(1 << 20);
    List<PredictionRecord> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batch.add(
          rec(String.format("big%02d", i), t0.plusSeconds(i), Map.of("blob", big), binary(0.5)));
    }
    store.recordAll(batch);
    HistoryPage first = store.latest(model, HistoryQuery.newest(50));
    assertThat(first.items()).hasSizeBetween(1, 8);
    assertThat(first.next()).as("a cursor to the rest").isPresent();
    List<String> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      HistoryPage page = store.latest(model, new HistoryQuery(50, cursor, false));
      assertThat(page.items()).isNotEmpty();
      page.items().forEach(r -> seen.add(r.id()));
      cursor = page.next();
    } while (cursor.isPresent());
    List<String> expected = new ArrayList<>();
    for (int i = 11; i >= 0; i--) {
      expected.add(String.format("big%02d", i));
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void latestPagesNewestFirstWithACursor() {
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    List<PredictionRecord> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      // two records share each timestamp: the cursor must still page exactly
      batch.add(
          rec(
              String.format("id%02d", i),
              t0.plusSeconds(i / 2),
              Map.of("i", i),
              new Regression(i)));
    }
    store.recordAll(batch);
    List<String> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      HistoryPage page = store.latest(model, new HistoryQuery(10, cursor, false));
      page.items().forEach(r -> seen.add(r.id()));
      cursor = page.next();
      pages++;
    } while (cursor.isPresent());
    assertThat(pages).isEqualTo(3);
    List<String> expected = new ArrayList<>();
    for (int i = 24; i >= 0; i--) {
      expected.add(String.format("id%02d", i));
    }
    assertThat(seen).isEqualTo(expected);
    assertThatThrownBy(() -> store.latest(model, HistoryQuery.newest(10).before("garbage!")))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("before"));
    assertThatThrownBy(() -> store.latest(model, HistoryQuery.newest(0)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void rangeCountAndPurge() {
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    for (int i = 0; i < 10; i++) {
      store.record(rec("p" + i, t0.plus(Duration.ofDays(i)), Map.of("i", i), new Regression(i)));
    }
    assertThat(store.range(model, t0.plus(Duration.ofDays(2)), t0.plus(Duration.ofDays(5)), 100))
        .extracting(PredictionRecord::id)
        .containsExactly("p2", "p3", "p4");
    assertThat(store.count(model)).isEqualTo(10);
    assertThat(store.purgeOlderThan(t0.plus(Duration.ofDays(7)))).isGreaterThanOrEqualTo(7);
    assertThat(store.count(model)).isEqualTo(3);
  }

  @Test
  void exportsCsvWithObservationPredictionAndOutcome() {
    store.record(
        rec(
            "c1",
            Instant.parse("2024-01-01T00:00:00Z"),
            Map.of("Age", 22, "Name", "O'Brien, \"Jack\""),
            binary(0.25)));
    store.recordOutcome(model, "c1", new Outcome.Label("died"));
    StringWriter w = new StringWriter();
    store.exportCsv(model, List.of("Age", "Name"), w);
    String[] lines = w.toString().split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "id,created_at,version,Age,Name,label,proba,value,values,outcome,outcome_at,latency_ms");
    assertThat(lines[1])
        .startsWith("c1,2024-01-01T00:00:00Z,1,22,\"O'Brien, \"\"Jack\"\"\",died,0.25,,,died,");
    assertThat(lines).hasSize(2);
  }

  @Test
  void binaryQualityMatchesIndependentComputation() {
    Random rnd = new Random(42);
    Instant t0 = Instant.now().minus(Duration.ofHours(2));
    int n = 400;
    double[] p = new double[n];
    boolean[] y = new boolean[n];
    List<PredictionRecord> recs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextBoolean();
      // informative but noisy scores, with ties
      p[i] =
          Math.min(
              0.95,
              Math.max(
                  0.05, Math.round(((y[i] ? 0.6 : 0.4) + rnd.nextGaussian() * 0.2) * 20) / 20.0));
      recs.add(rec("b" + i, t0.plusSeconds(i), Map.of("i", i), binary(p[i])));
    }
    recs.add(rec("unlabelled", t0, Map.of("i", -1), binary(0.5)));
    store.recordAll(recs);
    for (int i = 0; i < n; i++) {
      store.recordOutcome(model, "b" + i, new Outcome.Label(y[i] ? "survived" : "died"));
    }
    QualityReport q = store.quality(model, BINARY, QualityQuery.all());
    assertThat(q.labelled()).isEqualTo(n);
    assertThat(q.unlabelled()).isEqualTo(1);
    double acc = 0;
    double ll = 0;
    double brier = 0;
    double pairs = 0;
    double wins = 0;
    for (int i = 0; i < n; i++) {
      acc += (p[i] >= 0.5) == y[i] ? 1 : 0;
      ll += y[i] ? -Math.log(p[i]) : -Math.log(1 - p[i]);
      brier += Math.pow(p[i] - (y[i] ? 1 : 0), 2);
      for (int j = 0; j < n; j++) {
        if (y[i] && !y[j]) {
          pairs++;
          wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
        }
      }
    }
    Map<String, Object> m = q.metrics();
    assertThat((Double) m.get("accuracy")).isCloseTo(acc / n, within(1e-12));
    assertThat((Double) m.get("log_loss")).isCloseTo(ll / n, within(1e-9));
    assertThat((Double) m.get("brier")).isCloseTo(brier / n, within(1e-12));
    assertThat((Double) m.get("roc_auc")).isCloseTo(wins / pairs, within(1e-12));
    assertThat(store.quality(model, BINARY, QualityQuery.last(Duration.ofHours(1))).labelled())
        .isZero();
  }

  @Test
  void undefinedMetricsAreNull() {
    store.record(rec("one", Instant.now(), Map.of("i", 1), binary(0.7)));
    Map<String, Object> m0 = store.quality(model, BINARY, QualityQuery.all()).metrics();
    assertThat(m0.get("accuracy")).isNull();
    assertThat(store.quality(model, BINARY, QualityQuery.all()).quality())
        .isInstanceOfSatisfying(BinaryQuality.class, b -> assertThat(b.accuracy()).isNull());
    store.recordOutcome(model, "one", new Outcome.Label("survived"));
    Map<String, Object> m1 = store.quality(model, BINARY, QualityQuery.all()).metrics();
    assertThat(m1.get("accuracy")).isEqualTo(1.0);
    assertThat(m1).containsKey("roc_auc");
    assertThat(m1.get("roc_auc")).isNull();
  }

  @Test
  void multiclassQualityWithConfusionAndMacroF1() {
    String[][] pairs = {{"a", "a"}, {"a", "b"}, {"b", "b"}, {"c", "c"}, {"c", "a"}, {"b", "b"}};
    for (int i = 0; i < pairs.length; i++) {
      Map<String, Double> probs = new LinkedHashMap<>();
      for (String l : List.of("a", "b", "c")) {
        probs.put(l, l.equals(pairs[i][1]) ? 0.6 : 0.2);
      }
      store.record(
          rec(
              "k" + i,
              Instant.now(),
              Map.of("i", i),
              new Classification(
                  Task.MULTICLASS_CLASSIFICATION, pairs[i][1], probs, Optional.empty())));
      store.recordOutcome(model, "k" + i, new Outcome.Label(pairs[i][0]));
    }
    Map<String, Object> m = store.quality(model, MULTI, QualityQuery.all()).metrics();
    assertThat((Double) m.get("accuracy")).isCloseTo(4 / 6.0, within(1e-12));
    assertThat(m.get("confusion"))
        .isEqualTo(List.of(List.of(1L, 1L, 0L), List.of(0L, 2L, 0L), List.of(1L, 0L, 1L)));
    MulticlassQuality typed =
        (MulticlassQuality) store.quality(model, MULTI, QualityQuery.all()).quality();
    assertThat(typed.asMap()).isEqualTo(m);
    assertThat(typed.confusion().count(2, 0)).isEqualTo(1L);
    assertThat(typed.macroF1()).isEqualTo(m.get("macro_f1"));
    // per class F1: a = 2*1/(2+2) = 0.5, b = 2*2/(2+3) = 0.8, c = 2*1/(2+1) = 2/3
    assertThat((Double) m.get("macro_f1")).isCloseTo((0.5 + 0.8 + 2 / 3.0) / 3, within(1e-12));
    // truth gets 0.6 when right, 0.2 when wrong: 4 right, 2 wrong
    assertThat((Double) m.get("log_loss"))
        .isCloseTo((-4 * Math.log(0.6) - 2 * Math.log(0.2)) / 6, within(1e-12));
  }

  @Test
  void regressionAndForecastQuality() {
    double[][] rv = {{10, 12}, {5, 4}, {0, 1}, {7, 7}};
    for (int i = 0; i < rv.length; i++) {
      store.record(rec("r" + i, Instant.now(), Map.of("i", i), new Regression(rv[i][0])));
      store.recordOutcome(model, "r" + i, new Outcome.Value(rv[i][1]));
    }
    Map<String, Object> m = store.quality(model, REGRESSION, QualityQuery.all()).metrics();
    assertThat((Double) m.get("mae")).isCloseTo((2 + 1 + 1 + 0) / 4.0, within(1e-12));
    assertThat((Double) m.get("rmse")).isCloseTo(Math.sqrt((4 + 1 + 1 + 0) / 4.0), within(1e-12));
    assertThat((Double) m.get("mape"))
        .isCloseTo((2 / 12.0 + 1 / 4.0 + 1 / 1.0 + 0) / 4, within(1e-12));
    double mean = (12 + 4 + 1 + 7) / 4.0;
    double ssTot =
        Math.pow(12 - mean, 2)
            + Math.pow(4 - mean, 2)
            + Math.pow(1 - mean, 2)
            + Math.pow(7 - mean, 2);
    assertThat((Double) m.get("r2")).isCloseTo(1 - 6 / ssTot, within(1e-9));

    String fm = model + "_f";
    store.record(
        PredictionRecord.of(
            "f1",
            fm,
            "1",
            Instant.now(),
            Observation.of(Map.of()),
            new Forecast(List.of(10.0, 11.0, 12.0)),
            1));
    store.record(
        PredictionRecord.of(
            "f2",
            fm,
            "1",
            Instant.now(),
            Observation.of(Map.of()),
            new Forecast(List.of(20.0, 20.0, 20.0)),
            1));
    store.recordOutcome(fm, "f1", new Outcome.Values(List.of(11.0, 11.0, 10.0)));
    store.recordOutcome(fm, "f2", new Outcome.Values(List.of(22.0)));
    Map<String, Object> f = store.quality(fm, FORECAST, QualityQuery.all()).metrics();
    assertThat(f.get("mae")).isEqualTo(List.of(1.5, 0.0, 2.0));
    assertThat(store.quality(fm, FORECAST, QualityQuery.all()).quality())
        .isInstanceOfSatisfying(
            ForecastQuality.class, q -> assertThat(q.mae()).containsExactly(1.5, 0.0, 2.0));
    assertThat((List<?>) f.get("mape")).hasSize(3);
  }

  @Test
  void chartSeriesVolumeScoresQualityOverTimeAndCalibration() {
    Instant t0 =
        Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    for (int i = 0; i < 30; i++) {
      double p = (i % 10) / 10.0 + 0.05;
      store.record(rec("v" + i, t0.plus(Duration.ofMinutes(i * 5)), Map.of("i", i), binary(p)));
      store.recordOutcome(model, "v" + i, new Outcome.Label(i % 3 == 0 ? "survived" : "died"));
    }
    List<MetricPoint> vol = store.volume(model, Duration.ofHours(1), HistoryWindow.all());
    assertThat(vol.stream().mapToLong(MetricPoint::count).sum()).isEqualTo(30);
    assertThat(vol.get(0).start()).isEqualTo(t0);
    assertThat(vol.get(0).count()).isEqualTo(12);
    assertThat(store.scores(model, BINARY, HistoryWindow.all(), 5)).hasSize(5);
    List<MetricPoint> acc =
        store.qualityOverTime(model, BINARY, "accuracy", Duration.ofHours(1), QualityQuery.all());
    assertThat(acc).hasSize(3);
    assertThat(acc.get(0).value()).isPresent();
    List<CalibrationBin> cal = store.calibration(model, BINARY, 10, HistoryWindow.all());
    assertThat(cal.stream().mapToLong(CalibrationBin::count).sum()).isEqualTo(30);
    assertThat(cal).allSatisfy(b -> assertThat(b.meanPredicted()).isBetween(b.lower(), b.upper()));
  }

  @Test
  void manyWritersWithCollidingIdsKeepOneRowPerIdAndConflictExactly() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<String>> fs = new ArrayList<>();
    Instant t = Instant.now();
    for (int i = 0; i < 2000; i++) {
      final int k = i;
      fs.add(
          pool.submit(
              () -> {
                String id = "c" + (k % 500);
                // ids collide four times: twice with the same observation, twice with another
                int variant = (k / 500) % 2;
                try {
                  store.record(rec(id, t, Map.of("v", variant), new Regression(k)));
                  return "ok";
                } catch (PredictionConflictException e) {
                  return "conflict";
                }
              }));
    }
    int ok = 0;
    int conflict = 0;
    for (Future<String> f : fs) {
      if (f.get(60, TimeUnit.SECONDS).equals("ok")) {
        ok++;
      } else {
        conflict++;
      }
    }
    pool.shutdown();
    assertThat(store.count(model)).isEqualTo(500);
    assertThat(ok).isEqualTo(1000);
    assertThat(conflict).isEqualTo(1000);
    Set<String> ids = new HashSet<>();
    store.latest(model, HistoryQuery.newest(10_000)).items().forEach(r -> ids.add(r.id()));
    assertThat(ids).hasSize(500);
  }

  @Test
  void closeIsIdempotentAndFlushes() {
    store.record(rec("z", Instant.now(), Map.of(), new Regression(1)));
    store.close();
    store.close();
    assertThat(store.isAvailable()).isFalse();
    store = open();
    assertThat(store.find(model, "z")).isPresent();
  }
}
