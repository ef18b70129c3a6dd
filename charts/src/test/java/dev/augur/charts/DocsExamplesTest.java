package dev.augur.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.ChartRenderer;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ChartSpecs;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.chart.ProbabilitiesChart;
import dev.augur.core.source.Point;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code shown in docs/charts.md, compiled and run. */
class DocsExamplesTest {
  @Test
  void javaExample() {
    // docs:java
    ChartRenderer charts = XChartRenderer.create(); // thread-safe: share one
    ChartSpec forecast =
        new ForecastChart(
            "ACME close",
            List.of(
                new Point(LocalDate.parse("2008-09-01"), 5123.4),
                new Point(LocalDate.parse("2008-09-02"), 5140.0)),
            List.of(
                new ForecastPoint(LocalDate.parse("2008-09-03"), 5150.0, 5100.0, 5200.0),
                new ForecastPoint(LocalDate.parse("2008-09-04"), 5160.0, 5080.0, 5240.0)));
    byte[] png = charts.render(forecast, ImageFormat.PNG);
    byte[] svg =
        charts.render(
            new ProbabilitiesChart(Map.of("died", 0.83, "survived", 0.17)), ImageFormat.SVG);
    // docs:end
    assertThat(Images.decode(png).getWidth()).isEqualTo(800);
    assertThat(Images.svg(svg).getDocumentElement().getAttribute("height")).isEqualTo("500");
  }

  @Test
  void jsonExample() throws Exception {
    String body =
        "{\"kind\": \"probabilities\", \"probabilities\": {\"died\": 0.83, \"survived\": 0.17}}";
    // docs:json
    ChartSpec spec = ChartSpecs.fromJson(body); // ChartException if bad
    byte[] jpeg = XChartRenderer.create().render(spec, ImageFormat.JPEG);
    // docs:end
    assertThat(Images.decode(jpeg).getHeight()).isEqualTo(500);
  }
}
