package dev.augur.charts;

import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ConfusionChart;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.chart.HistogramChart;
import dev.augur.core.chart.LineChart;
import dev.augur.core.chart.ProbabilitiesChart;
import dev.augur.core.chart.QualityChart;
import dev.augur.core.chart.ScoresChart;
import dev.augur.core.chart.Series;
import dev.augur.core.chart.VolumeChart;
import dev.augur.core.history.CalibrationBin;
import dev.augur.core.history.MetricPoint;
import dev.augur.core.source.Point;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Deterministic example specs of every kind, shared by the tests, the gallery and the benchmark.
 */
final class ChartFixtures {
  private ChartFixtures() {}

  /** One example of every kind, by kind name, at the given size. */
  static Map<String, ChartSpec> all(int width, int height) {
    Map<String, ChartSpec> out = new LinkedHashMap<>();
    out.put("forecast", forecast(width, height, 120, 20));
    out.put("probabilities", probabilities(width, height));
    out.put("line", line(width, height));
    out.put("histogram", histogram(width, height));
    out.put("volume", volume(width, height));
    out.put("scores", scores(width, height));
    out.put("quality", quality(width, height));
    out.put("calibration", calibration(width, height));
    out.put("confusion", confusion(width, height));
    return out;
  }

  /** Business-day history of a random walk and a forecast with a widening 80% band. */
  static ForecastChart forecast(int width, int height, int historyPoints, int horizon) {
    Random r = new Random(42);
    List<Point> history = new ArrayList<>();
    LocalDate day = LocalDate.parse("2008-03-03");
    double y = 5123.4;
    for (int i = 0; i < historyPoints; i++) {
      history.add(new Point(day, y));
      y += r.nextGaussian() * 40;
      day = nextBusinessDay(day);
    }
    List<ForecastPoint> forecast = new ArrayList<>();
    double f = y;
    for (int i = 1; i <= horizon; i++) {
      f += 3;
      double half = 40 * 1.28 * Math.sqrt(i);
      forecast.add(new ForecastPoint(day, f, f - half, f + half));
      day = nextBusinessDay(day);
    }
    return new ForecastChart(
        "ACME close, next " + horizon + " days", width, height, history, forecast);
  }

  private static LocalDate nextBusinessDay(LocalDate d) {
    LocalDate n = d.plusDays(1);
    while (n.getDayOfWeek() == DayOfWeek.SATURDAY || n.getDayOfWeek() == DayOfWeek.SUNDAY) {
      n = n.plusDays(1);
    }
    return n;
  }

  static ProbabilitiesChart probabilities(int width, int height) {
    Map<String, Double> p = new LinkedHashMap<>();
    p.put("survived", 0.17);
    p.put("died", 0.83);
    return new ProbabilitiesChart("Titanic passenger 892", width, height, p);
  }

  static LineChart line(int width, int height) {
    Random r = new Random(7);
    List<Series> series = new ArrayList<>();
    String[] names = {"north", "south", "west"};
    for (int s = 0; s < names.length; s++) {
      List<Point> points = new ArrayList<>();
      double y = 12_000 + s * 4_000;
      LocalDate d = LocalDate.parse("2023-01-01");
      for (int i = 0; i < 104; i++) {
        points.add(new Point(d.plusWeeks(i), y));
        y += r.nextGaussian() * 600 + 40;
      }
      series.add(new Series(names[s], points));
    }
    return new LineChart("Weekly units by region", width, height, series);
  }

  static HistogramChart histogram(int width, int height) {
    Random r = new Random(3);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      values.add(35 + r.nextGaussian() * 12);
    }
    return new HistogramChart("Passenger age", width, height, values, 20);
  }

  static VolumeChart volume(int width, int height) {
    Random r = new Random(5);
    List<MetricPoint> points = new ArrayList<>();
    Instant start = Instant.parse("2024-05-01T00:00:00Z");
    for (int h = 0; h < 72; h++) {
      double daily = 1 + Math.sin((h % 24 - 6) / 24.0 * 2 * Math.PI);
      long count = Math.round(1_200 * daily + r.nextInt(300));
      points.add(new MetricPoint(start.plusSeconds(3600L * h), count, Optional.empty()));
    }
    return new VolumeChart("titanic v3: predictions per hour", width, height, points);
  }

  static ScoresChart scores(int width, int height) {
    Random r = new Random(11);
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      double a = r.nextGaussian() * 1.3 + (i % 3 == 0 ? 1.2 : -1.0);
      scores.add(1 / (1 + Math.exp(-a)));
    }
    return new ScoresChart(
        "titanic v3: predicted P(survived)", width, height, scores, "P(survived)");
  }

  static QualityChart quality(int width, int height) {
    Random r = new Random(13);
    List<MetricPoint> points = new ArrayList<>();
    Instant start = Instant.parse("2024-04-01T00:00:00Z");
    for (int d = 0; d < 30; d++) {
      Optional<Double> v =
          d == 9 || d == 10 ? Optional.empty() : Optional.of(0.8 + r.nextGaussian() * 0.02);
      points.add(new MetricPoint(start.plusSeconds(86_400L * d), 200 + r.nextInt(50), v));
    }
    return new QualityChart("titanic v3: accuracy per day", width, height, "accuracy", points);
  }

  static CalibrationChart calibration(int width, int height) {
    List<CalibrationBin> bins = new ArrayList<>();
    long[] counts = {310, 220, 160, 120, 95, 80, 70, 64, 58, 40};
    for (int b = 0; b < 10; b++) {
      double lo = b / 10.0;
      double mean = lo + 0.05;
      double observed = Math.min(1, Math.max(0, mean + 0.12 * Math.sin(mean * Math.PI) - 0.04));
      bins.add(new CalibrationBin(lo, lo + 0.1, mean, observed, counts[b]));
    }
    return new CalibrationChart("titanic v3: calibration", width, height, bins);
  }

  static ConfusionChart confusion(int width, int height) {
    List<String> labels = List.of("setosa", "versicolor", "virginica");
    List<List<Long>> counts =
        List.of(List.of(50L, 0L, 0L), List.of(0L, 47L, 3L), List.of(0L, 4L, 1046L));
    return new ConfusionChart("iris v1: confusion matrix", width, height, labels, counts);
  }
}
