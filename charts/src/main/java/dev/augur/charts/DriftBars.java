package dev.augur.charts;

import dev.augur.core.chart.DriftChart;
import dev.augur.core.drift.FeatureDrift;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Drift per feature as an XChart bar chart: drifted features in orange, the others in blue, and the
 * threshold as a dashed line across.
 */
final class DriftBars {
  private DriftBars() {}

  static Painter painter(DriftChart spec, Theme th) {
    CategoryChart chart = new CategoryChart(th.width, th.height, Styler.ChartTheme.GGPlot2);
    th.style(chart.getStyler(), true);
    chart.getStyler().setChartTitleVisible(false);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(spec.features().size() > 6 ? 45 : 0);
    chart.getStyler().setYAxisMin(0.0);
    List<String> names = new ArrayList<>();
    List<Double> below = new ArrayList<>();
    List<Double> above = new ArrayList<>();
    double max = spec.threshold();
    for (FeatureDrift f : spec.features()) {
      names.add(f.name());
      double v = f.value().orElse(0.0);
      max = Math.max(max, v);
      below.add(f.drifted() ? 0.0 : v);
      above.add(f.drifted() ? v : 0.0);
    }
    chart.getStyler().setYAxisMax(max * 1.1);
    chart.getStyler().setYAxisDecimalPattern(Formats.decimalPattern(0, max * 1.1));
    CategorySeries ok = chart.addSeries("PSI", names, below);
    ok.setFillColor(Theme.alpha(Theme.BLUE, 0.85));
    CategorySeries drifted = chart.addSeries("drifted", names, above);
    drifted.setFillColor(Theme.alpha(Theme.color(1), 0.9));
    CategorySeries line =
        chart.addSeries(
            "threshold " + spec.threshold(),
            names,
            new ArrayList<>(Collections.nCopies(names.size(), spec.threshold())));
    line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    line.setLineColor(Theme.TEXT);
    line.setLineStyle(th.dashed());
    line.setMarker(SeriesMarkers.NONE);
    chart.setYAxisTitle("population stability index");
    return (g, width, height) -> {
      double top = Drawing.title(g, th, spec.title());
      int offset = th.title(spec.title()).isEmpty() ? 0 : (int) Math.round(top - th.padding);
      var saved = g.getTransform();
      g.translate(0, offset);
      chart.paint(g, width, height - offset);
      g.setTransform(saved);
    };
  }
}
