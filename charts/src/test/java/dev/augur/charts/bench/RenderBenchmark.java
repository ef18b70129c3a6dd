package dev.augur.charts.bench;

import dev.augur.charts.XChartRenderer;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ChartSpecs;
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
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Warm render time of one 800 × 500 chart per kind, encoded as PNG (and the 500-point forecast also
 * as SVG and JPEG): everything {@code POST /plot} spends after parsing the spec.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RenderBenchmark {
  @Param({
    "forecast",
    "forecast500",
    "probabilities",
    "line",
    "histogram",
    "volume",
    "scores",
    "quality",
    "calibration",
    "confusion"
  })
  public String kind;

  private final XChartRenderer renderer = XChartRenderer.create();
  private ChartSpec spec;

  @Setup
  public void setUp() {
    spec = spec(kind);
    ChartSpecs.validate(spec);
  }

  @Benchmark
  public byte[] png() {
    return renderer.render(spec, ImageFormat.PNG);
  }

  /** The benchmark's specs: realistic sizes, fixed seeds. */
  static ChartSpec spec(String kind) {
    Random r = new Random(1);
    LocalDate day = LocalDate.parse("2023-01-02");
    Instant start = Instant.parse("2024-05-01T00:00:00Z");
    return switch (kind) {
      case "forecast" -> forecast(r, day, 60, 14);
      case "forecast500" -> forecast(r, day, 500, 30);
      case "probabilities" ->
          new ProbabilitiesChart("Titanic passenger 892", Map.of("died", 0.83, "survived", 0.17));
      case "line" -> {
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
          List<Point> points = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            points.add(new Point(day.plusDays(i), 100 + s * 20 + r.nextGaussian() * 5));
          }
          series.add(new Series("s" + s, points));
        }
        yield new LineChart("three series", series);
      }
      case "histogram" -> new HistogramChart("values", gaussians(r, 10_000));
      case "scores" -> {
        List<Double> scores = new ArrayList<>();
        for (double g : gaussians(r, 10_000)) {
          scores.add(1 / (1 + Math.exp(-g)));
        }
        yield new ScoresChart("scores", scores, "P(survived)");
      }
      case "volume", "quality" -> {
        List<MetricPoint> points = new ArrayList<>();
        for (int h = 0; h < 168; h++) {
          points.add(
              new MetricPoint(
                  start.plusSeconds(3600L * h),
                  500 + r.nextInt(500),
                  Optional.of(0.8 + r.nextGaussian() * 0.02)));
        }
        yield kind.equals("volume")
            ? new VolumeChart("predictions per hour", points)
            : new QualityChart("accuracy per hour", "accuracy", points);
      }
      case "calibration" -> {
        List<CalibrationBin> bins = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
          double mean = b / 10.0 + 0.05;
          bins.add(new CalibrationBin(b / 10.0, b / 10.0 + 0.1, mean, mean * 0.9, 100 + b));
        }
        yield new CalibrationChart("calibration", bins);
      }
      case "confusion" ->
          new ConfusionChart(
              "confusion",
              List.of("a", "b", "c", "d"),
              List.of(
                  List.of(50L, 2L, 1L, 0L),
                  List.of(3L, 40L, 5L, 1L),
                  List.of(0L, 4L, 60L, 2L),
                  List.of(1L, 0L, 3L, 70L)));
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static ForecastChart forecast(Random r, LocalDate day, int history, int horizon) {
    List<Point> points = new ArrayList<>();
    double y = 5000;
    for (int i = 0; i < history; i++) {
      points.add(new Point(day.plusDays(i), y));
      y += r.nextGaussian() * 30;
    }
    List<ForecastPoint> forecast = new ArrayList<>();
    for (int i = 1; i <= horizon; i++) {
      double half = 40 * Math.sqrt(i);
      forecast.add(new ForecastPoint(day.plusDays(history + i - 1), y, y - half, y + half));
    }
    return new ForecastChart("forecast", points, forecast);
  }

  private static List<Double> gaussians(Random r, int n) {
    List<Double> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.nextGaussian());
    }
    return out;
  }

  /** Runs this benchmark; JMH command-line options (e.g. {@code -p kind=forecast500}) apply. */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    new Runner(
            new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(RenderBenchmark.class.getSimpleName())
                .build())
        .run();
  }
}
