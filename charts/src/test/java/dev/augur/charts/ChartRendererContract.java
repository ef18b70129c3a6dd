package dev.augur.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.ChartException;
import dev.augur.core.ChartRenderer;
import dev.augur.core.ImageFormat;
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
import dev.augur.core.history.MetricPoint;
import dev.augur.core.source.Point;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * What every {@link ChartRenderer} must do: draw every kind in every format at exactly the asked
 * size, never blank, and refuse bad specs with a {@link ChartException} naming the field.
 * Implementations' tests extend it.
 */
abstract class ChartRendererContract {
  /** The renderer under test. */
  protected abstract ChartRenderer renderer();

  static Stream<Arguments> kindsAndFormats() {
    List<Arguments> out = new ArrayList<>();
    for (String kind : ChartFixtures.all(800, 500).keySet()) {
      for (ImageFormat format : ImageFormat.values()) {
        out.add(Arguments.of(kind, format));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("kindsAndFormats")
  void drawsEveryKindInEveryFormatAtExactSize(String kind, ImageFormat format) {
    ChartSpec spec = ChartFixtures.all(640, 360).get(kind);
    byte[] bytes = renderer().render(spec, format);
    if (format == ImageFormat.SVG) {
      Element svg = Images.svg(bytes).getDocumentElement();
      assertThat(svg.getLocalName()).isEqualTo("svg");
      assertThat(svg.getAttribute("width")).isEqualTo("640");
      assertThat(svg.getAttribute("height")).isEqualTo("360");
      int shapes = 0;
      for (String tag : List.of("path", "rect", "line", "polygon", "polyline")) {
        shapes += svg.getElementsByTagNameNS("*", tag).getLength();
      }
      // XChart draws its labels as glyph outlines (paths); Java2D kinds as <text>
      assertThat(shapes).as("vector shapes").isGreaterThan(5);
      assertThat(
              svg.getElementsByTagNameNS("*", "text").getLength()
                  + svg.getElementsByTagNameNS("*", "path").getLength())
          .as("texts")
          .isGreaterThan(2);
    } else {
      BufferedImage image = Images.decode(bytes);
      assertThat(image.getWidth()).isEqualTo(640);
      assertThat(image.getHeight()).isEqualTo(360);
      assertThat(Images.distinctColours(image)).as("distinct colours").isGreaterThan(20);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void drawsEveryKindAtTheSmallestSize(String kind) {
    BufferedImage image =
        Images.decode(renderer().render(ChartFixtures.all(100, 100).get(kind), ImageFormat.PNG));
    assertThat(image.getWidth()).isEqualTo(100);
    assertThat(image.getHeight()).isEqualTo(100);
    assertThat(Images.distinctColours(image)).isGreaterThan(10);
  }

  static Stream<String> kinds() {
    return ChartFixtures.all(800, 500).keySet().stream();
  }

  @Test
  void drawsTheLargestSize() {
    BufferedImage image =
        Images.decode(
            renderer().render(ChartFixtures.forecast(4000, 4000, 60, 10), ImageFormat.PNG));
    assertThat(image.getWidth()).isEqualTo(4000);
    assertThat(image.getHeight()).isEqualTo(4000);
  }

  @Test
  void drawsDegenerateData() {
    ChartSpec single =
        new ForecastChart(
            List.of(), List.of(new ForecastPoint(LocalDate.parse("2024-01-01"), 3, 2.0, 4.0)));
    ChartSpec flat =
        new LineChart(List.of(new Series("a", List.of(new Point(1, 5), new Point(2, 5)))));
    ChartSpec oneValue = new HistogramChart(List.of(7.0, 7.0, 7.0));
    ChartSpec zeros =
        new ConfusionChart(List.of("a", "b"), List.of(List.of(0L, 0L), List.of(0L, 0L)));
    ChartSpec zeroProbabilities = new ProbabilitiesChart(Map.of("a", 0.0, "b", 0.0));
    for (ChartSpec spec : List.of(single, flat, oneValue, zeros, zeroProbabilities)) {
      for (ImageFormat format : ImageFormat.values()) {
        byte[] bytes = renderer().render(spec, format);
        if (format != ImageFormat.SVG) {
          assertThat(Images.distinctColours(Images.decode(bytes)))
              .as(spec.kind() + " as " + format)
              .isGreaterThan(10);
        }
      }
    }
  }

  @Test
  void drawsManyClassesAndLongLabels() {
    Map<String, Double> many = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      many.put("class number " + i + " with a rather long name", i / 300.0);
    }
    byte[] png = renderer().render(new ProbabilitiesChart("many", 400, 300, many), ImageFormat.PNG);
    assertThat(Images.decode(png).getWidth()).isEqualTo(400);
  }

  static Stream<Arguments> badSpecs() {
    LocalDate d = LocalDate.parse("2024-01-01");
    List<Point> history = List.of(new Point(d, 1), new Point(d.plusDays(1), 2));
    List<Point> withNaN =
        List.of(new Point(d, 1), new Point(d, 2), new Point(d, 3), new Point(d, Double.NaN));
    List<ForecastPoint> forecast = List.of(new ForecastPoint(d.plusDays(2), 3, 2.0, 4.0));
    List<ForecastPoint> infinite =
        List.of(
            new ForecastPoint(d.plusDays(2), 3, 2.0, 4.0),
            new ForecastPoint(d.plusDays(3), 3, 2.0, Double.POSITIVE_INFINITY));
    List<Double> tooMany = Collections.nCopies(100_001, 1.0);
    return Stream.of(
        Arguments.of(new ForecastChart(history, List.of()), "forecast is empty"),
        Arguments.of(new ForecastChart(withNaN, forecast), "history[3].y is NaN"),
        Arguments.of(new ForecastChart(history, infinite), "forecast[1].upper is Infinity"),
        Arguments.of(new ForecastChart("", 99, 500, history, forecast), "width is 99"),
        Arguments.of(new ForecastChart("", 800, 4001, history, forecast), "height is 4001"),
        Arguments.of(
            new ForecastChart(history, List.of(new ForecastPoint(5, 1.0))),
            "forecast[0].t is a number but history[0].t is a date"),
        Arguments.of(
            new ForecastChart(history, List.of(new ForecastPoint(d, 1, 3.0, 2.0))),
            "forecast[0].lower is 3.0, above upper"),
        Arguments.of(new ProbabilitiesChart(Map.of()), "probabilities is empty"),
        Arguments.of(new ProbabilitiesChart(Map.of("died", 1.5)), "probabilities[died] is 1.5"),
        Arguments.of(
            new ProbabilitiesChart(Map.of("died", Double.NaN)), "probabilities[died] is NaN"),
        Arguments.of(new LineChart(List.of()), "series is empty"),
        Arguments.of(
            new LineChart(List.of(new Series("a", history), new Series("a", history))),
            "series[1].name 'a' repeats series[0].name"),
        Arguments.of(
            new LineChart(List.of(new Series("a", history), new Series("b", List.of()))),
            "series[1].points is empty"),
        Arguments.of(new HistogramChart(List.of()), "values is empty"),
        Arguments.of(new HistogramChart("", 800, 500, List.of(1.0), 0), "bins is 0"),
        Arguments.of(
            new HistogramChart(List.of(1.0, Double.NEGATIVE_INFINITY)), "values[1] is -Infinity"),
        Arguments.of(new HistogramChart(tooMany), "at most 100000"),
        Arguments.of(new ScoresChart(List.of(0.5, Double.NaN), "p"), "scores[1] is NaN"),
        Arguments.of(
            new QualityChart(
                "accuracy", List.of(new MetricPoint(Instant.EPOCH, 3, Optional.empty()))),
            "points has no value"),
        Arguments.of(
            new ConfusionChart(List.of("a", "b"), List.of(List.of(1L, 2L))),
            "counts has 1 rows; expected 2"),
        Arguments.of(
            new ConfusionChart(List.of("a", "b"), List.of(List.of(1L, 2L), List.of(1L))),
            "counts[1] has 1 columns; expected 2"),
        Arguments.of(
            new ConfusionChart(List.of("a"), List.of(List.of(-1L))), "counts[0][0] is -1"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badSpecs")
  void refusesBadSpecsNamingTheField(ChartSpec spec, String message) {
    for (ImageFormat format : ImageFormat.values()) {
      assertThatThrownBy(() -> renderer().render(spec, format))
          .isInstanceOf(ChartException.class)
          .hasMessageContaining(message);
    }
  }
}
