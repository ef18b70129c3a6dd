package dev.augur.core.chart;

import dev.augur.core.HistoryStore;
import dev.augur.core.NothingToDrawException;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Task;
import dev.augur.core.drift.DriftReport;
import dev.augur.core.history.BinaryQuality;
import dev.augur.core.history.ConfusionMatrix;
import dev.augur.core.history.HistoryWindow;
import dev.augur.core.history.MulticlassQuality;
import dev.augur.core.history.QualityMetrics;
import dev.augur.core.history.QualityQuery;
import dev.augur.core.history.QualitySpec;
import dev.augur.core.model.ModelManifest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link ModelChart}s of a model from its history: the buckets, bins, metrics and
 * titles. {@code Augur.chart} is the front door; this class is the work behind it, for callers that
 * hold a {@link HistoryStore} and a manifest without an {@code Augur}. Stateless and thread-safe.
 */
public final class ModelCharts {
  /** The most scores a scores chart reads: the newest ones. */
  public static final int MAX_SCORES = 50_000;

  /** About this many buckets when no bucket is given. */
  private static final int BUCKETS = 40;

  private static final List<Duration> NICE_BUCKETS =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(15),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofHours(1),
          Duration.ofHours(6),
          Duration.ofDays(1),
          Duration.ofDays(7));

  private ModelCharts() {}

  /**
   * A chart of the model's history, any kind but {@link ModelChart#DRIFT} (see {@link #drift}).
   *
   * @param now the present, for the span of "all the history" when choosing a bucket
   * @throws NothingToDrawException when the window holds nothing to draw, or the kind is not for
   *     the model's task
   * @throws IllegalArgumentException for {@link ModelChart#DRIFT}
   */
  public static ChartSpec fromHistory(
      ModelManifest m, HistoryStore store, ModelChart kind, ModelChartQuery q, Instant now) {
    String model = m.name();
    QualitySpec spec = QualitySpec.of(m);
    int w = q.width();
    int h = q.height();
    Optional<Duration> window = q.window();
    HistoryWindow last = new HistoryWindow(window);
    ChartSpec chart =
        switch (kind) {
          case VOLUME ->
              new VolumeChart(
                  "Predictions of " + model,
                  w,
                  h,
                  store.volume(model, bucket(q, store, model, now), last));
          case SCORES ->
              new ScoresChart(
                  scoreTitle(m),
                  w,
                  h,
                  store.scores(model, spec, last, MAX_SCORES),
                  m.task() == Task.BINARY_CLASSIFICATION
                      ? "P(" + spec.positive().orElse("positive") + ")"
                      : m.task().isClassification()
                          ? "probability of the predicted label"
                          : "predicted value");
          case QUALITY -> {
            String metric = q.metric().orElse(defaultMetric(m.task()));
            Optional<String> version = q.version();
            yield new QualityChart(
                metric + " of " + model + version.map(v -> " v" + v).orElse("") + " over time",
                w,
                h,
                metric,
                store.qualityOverTime(
                    model,
                    spec,
                    metric,
                    bucket(q, store, model, now),
                    new QualityQuery(window, version)));
          }
          case CALIBRATION -> {
            if (m.task() != Task.BINARY_CLASSIFICATION) {
              throw new NothingToDrawException(
                  "calibration charts are for binary classifiers; "
                      + model
                      + " is "
                      + m.task().id());
            }
            yield new CalibrationChart(
                "Calibration of " + model, w, h, store.calibration(model, spec, q.bins(), last));
          }
          case CONFUSION -> {
            if (!m.task().isClassification()) {
              throw new NothingToDrawException(
                  "confusion matrices are for classifiers; " + model + " is " + m.task().id());
            }
            yield new ConfusionChart(
                "Confusion matrix of " + model,
                w,
                h,
                spec.labels(),
                counts(
                    store
                        .quality(model, spec, new QualityQuery(window, Optional.empty()))
                        .quality(),
                    spec.labels().size()));
          }
          case DRIFT -> throw new IllegalArgumentException("a drift chart is drawn from a report");
        };
    if (isEmpty(chart)) {
      boolean labelled =
          kind == ModelChart.QUALITY
              || kind == ModelChart.CALIBRATION
              || kind == ModelChart.CONFUSION;
      throw new NothingToDrawException(
          "nothing to draw yet: "
              + model
              + " has no "
              + (labelled ? "labelled " : "")
              + "predictions"
              + window.map(d -> " in the last " + d).orElse(""));
    }
    return chart;
  }

  /**
   * The drift chart of a report: each feature's index against the threshold.
   *
   * @throws NothingToDrawException when no feature has an index (too few records in a window)
   */
  public static DriftChart drift(DriftReport report, int width, int height) {
    if (report.features().stream().allMatch(x -> x.value().isEmpty())) {
      throw new NothingToDrawException(
          "nothing to draw yet: "
              + report.model()
              + " needs at least "
              + DriftReport.MIN_ROWS
              + " predictions in each window (reference "
              + report.reference().count()
              + ", current "
              + report.current().count()
              + ")");
    }
    return new DriftChart(
        "Drift of " + report.model() + " (PSI)",
        width,
        height,
        report.features(),
        report.threshold());
  }

  private static boolean isEmpty(ChartSpec c) {
    if (c instanceof VolumeChart v) {
      return v.points().isEmpty();
    }
    if (c instanceof ScoresChart s) {
      return s.scores().isEmpty();
    }
    if (c instanceof QualityChart q) {
      return q.points().stream().allMatch(p -> p.value().isEmpty());
    }
    if (c instanceof CalibrationChart cal) {
      return cal.bins().stream().allMatch(b -> b.count() == 0);
    }
    if (c instanceof ConfusionChart m) {
      return m.counts().stream().flatMap(List::stream).allMatch(n -> n == 0);
    }
    return false;
  }

  private static String scoreTitle(ModelManifest m) {
    return (m.task().isClassification() ? "Predicted probabilities of " : "Predicted values of ")
        + m.name();
  }

  /** The metric of a quality chart when none is asked for. */
  static String defaultMetric(Task t) {
    return switch (t) {
      case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> "accuracy";
      case REGRESSION -> "mae";
      case FORECAST -> "mae_mean";
    };
  }

  /** The classifier's confusion counts, or k × k zeros while they do not match its labels. */
  private static List<List<Long>> counts(QualityMetrics quality, int k) {
    ConfusionMatrix confusion =
        quality instanceof BinaryQuality b
            ? b.confusion()
            : quality instanceof MulticlassQuality m ? m.confusion() : null;
    if (confusion != null && confusion.counts().size() == k) {
      return confusion.counts();
    }
    return Collections.nCopies(k, Collections.nCopies(k, 0L));
  }

  /** The query's bucket, else about {@value #BUCKETS} buckets over the window or the data. */
  private static Duration bucket(ModelChartQuery q, HistoryStore store, String model, Instant now) {
    if (q.bucket().isPresent()) {
      return q.bucket().get();
    }
    Duration span =
        q.window()
            .orElseGet(
                () -> {
                  List<PredictionRecord> oldest =
                      store.range(model, Instant.EPOCH, now.plusSeconds(1), 1);
                  return oldest.isEmpty()
                      ? Duration.ofHours(1)
                      : Duration.between(oldest.get(0).createdAt(), now);
                });
    return nice(span.dividedBy(BUCKETS));
  }

  /**
   * The smallest round bucket at least {@code d}: 1 s, 5 s, 15 s, 1 min, … 7 days, else 30 days.
   */
  private static Duration nice(Duration d) {
    for (Duration step : NICE_BUCKETS) {
      if (d.compareTo(step) <= 0) {
        return step;
      }
    }
    return Duration.ofDays(30);
  }
}
