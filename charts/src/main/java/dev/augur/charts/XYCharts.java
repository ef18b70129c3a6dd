package dev.augur.charts;

import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.chart.LineChart;
import dev.augur.core.chart.Series;
import dev.augur.core.history.CalibrationBin;
import dev.augur.core.history.MetricPoint;
import dev.augur.core.source.Point;
import java.awt.Color;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Builds the XChart {@link XYChart}s of the line-like kinds; a new chart per call. */
final class XYCharts {
  private static final long DAY_MILLIS = 86_400_000L;

  private XYCharts() {}

  /** History line, forecast line continuing it, and the band where lower/upper are given. */
  static XYChart forecast(ForecastChart spec, Theme th) {
    List<Point> history = spec.history();
    List<ForecastPoint> forecast = spec.forecast();
    boolean dates = !(forecast.get(0).t() instanceof Number);
    boolean hasBand = forecast.stream().anyMatch(ForecastPoint::hasBand);
    int seriesCount = (history.isEmpty() ? 0 : 1) + 1 + (hasBand ? 1 : 0);
    XYChart chart = newChart(th, seriesCount > 1);
    Range xr = new Range();
    Range yr = new Range();
    boolean midnight = true;

    double[] hx = new double[history.size()];
    double[] hy = new double[history.size()];
    for (int i = 0; i < hx.length; i++) {
      hx[i] = Times.x(history.get(i).t());
      hy[i] = history.get(i).y();
      xr.add(hx[i]);
      yr.add(hy[i]);
      midnight &= isMidnight(hx[i], dates);
    }
    // the forecast line starts at the last observed point so that the two lines join
    int offset = history.isEmpty() ? 0 : 1;
    double[] fx = new double[forecast.size() + offset];
    double[] fy = new double[forecast.size() + offset];
    if (offset == 1) {
      fx[0] = hx[hx.length - 1];
      fy[0] = hy[hy.length - 1];
    }
    for (int i = 0; i < forecast.size(); i++) {
      ForecastPoint p = forecast.get(i);
      fx[i + offset] = Times.x(p.t());
      fy[i + offset] = p.y();
      xr.add(fx[i + offset]);
      yr.add(p.y());
      if (p.hasBand()) {
        yr.add(p.lower());
        yr.add(p.upper());
      }
      midnight &= isMidnight(fx[i + offset], dates);
    }

    if (!history.isEmpty()) {
      XYSeries h = chart.addSeries("history", Times.xData(hx, 0, hx.length, dates), list(hy));
      lineStyle(h, Theme.BLUE, th, hx.length);
    }
    if (hasBand) {
      addBands(chart, forecast, dates, th);
    }
    XYSeries f = chart.addSeries("forecast", Times.xData(fx, 0, fx.length, dates), list(fy));
    lineStyle(f, Theme.VERMILLION, th, fx.length);
    axes(chart, xr, yr, dates, midnight);
    return chart;
  }

  /** One polygon per run of consecutive forecast points that carry a band. */
  private static void addBands(
      XYChart chart, List<ForecastPoint> forecast, boolean dates, Theme th) {
    int run = 0;
    int i = 0;
    while (i < forecast.size()) {
      if (!forecast.get(i).hasBand()) {
        i++;
        continue;
      }
      int start = i;
      while (i < forecast.size() && forecast.get(i).hasBand()) {
        i++;
      }
      int n = i - start;
      double[] xs = new double[2 * n];
      double[] ys = new double[2 * n];
      for (int k = 0; k < n; k++) {
        ForecastPoint p = forecast.get(start + k);
        xs[k] = Times.x(p.t());
        ys[k] = p.upper();
        ForecastPoint back = forecast.get(i - 1 - k);
        xs[n + k] = Times.x(back.t());
        ys[n + k] = back.lower();
      }
      if (n == 1) {
        // a single banded point: draw a thin vertical bar
        xs = new double[] {xs[0], xs[0], xs[0], xs[0]};
        ys = new double[] {ys[0], ys[0], ys[1], ys[1]};
      }
      XYSeries band =
          chart.addSeries(
              run == 0 ? "interval" : "interval " + (run + 1),
              Times.xData(xs, 0, xs.length, dates),
              list(ys));
      band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
      band.setFillColor(Theme.alpha(Theme.VERMILLION, 0.18));
      band.setLineColor(Theme.alpha(Theme.VERMILLION, n == 1 ? 0.6 : 0.0));
      band.setLineStyle(n == 1 ? th.line() : SeriesLines.NONE);
      band.setMarker(SeriesMarkers.NONE);
      band.setShowInLegend(run == 0);
      run++;
    }
  }

  /** One line per series; a legend only with two or more. */
  static XYChart line(LineChart spec, Theme th) {
    List<Series> all = spec.series();
    boolean dates = !(all.get(0).points().get(0).t() instanceof Number);
    XYChart chart = newChart(th, all.size() > 1);
    Range xr = new Range();
    Range yr = new Range();
    boolean midnight = true;
    for (int s = 0; s < all.size(); s++) {
      Series series = all.get(s);
      List<Point> points = series.points();
      double[] xs = new double[points.size()];
      double[] ys = new double[points.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = Times.x(points.get(i).t());
        ys[i] = points.get(i).y();
        xr.add(xs[i]);
        yr.add(ys[i]);
        midnight &= isMidnight(xs[i], dates);
      }
      String name = series.name().isBlank() ? "series " + (s + 1) : series.name();
      XYSeries x = chart.addSeries(name, Times.xData(xs, 0, xs.length, dates), list(ys));
      lineStyle(x, Theme.color(s), th, xs.length);
    }
    axes(chart, xr, yr, dates, midnight);
    return chart;
  }

  /** Equal-width bins drawn as bars on a numeric axis. */
  static XYChart histogram(
      List<Double> values, int bins, String xLabel, boolean unitRange, Theme th) {
    XYChart chart = newChart(th, false);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (unitRange && lo >= 0 && hi <= 1) {
      lo = 0;
      hi = 1;
    }
    if (lo == hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    double width = (hi - lo) / bins;
    long[] counts = new long[bins];
    for (double v : values) {
      int b = (int) Math.floor((v - lo) / width);
      counts[Math.max(0, Math.min(bins - 1, b))]++;
    }
    long max = 0;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    bars(chart, lo, width, counts);
    XYStyler s = chart.getStyler();
    s.setXAxisMin(lo);
    s.setXAxisMax(hi);
    s.setXAxisDecimalPattern(Formats.decimalPattern(lo, hi));
    countAxis(s, max);
    chart.setXAxisTitle(xLabel);
    chart.setYAxisTitle("count");
    return chart;
  }

  /** Bars of {@code counts} starting at {@code lo}, each {@code width} wide, as one polygon. */
  private static void bars(XYChart chart, double lo, double width, long[] counts) {
    double gap = counts.length > 1 ? width * 0.06 : 0;
    double[] xs = new double[counts.length * 4 + 2];
    double[] ys = new double[xs.length];
    int k = 0;
    xs[k] = lo;
    ys[k++] = 0;
    for (int b = 0; b < counts.length; b++) {
      double left = lo + b * width + gap;
      double right = lo + (b + 1) * width - gap;
      xs[k] = left;
      ys[k++] = 0;
      xs[k] = left;
      ys[k++] = counts[b];
      xs[k] = right;
      ys[k++] = counts[b];
      xs[k] = right;
      ys[k++] = 0;
    }
    xs[k] = lo + counts.length * width;
    ys[k] = 0;
    XYSeries bars = chart.addSeries("count", xs, ys);
    bars.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
    bars.setFillColor(Theme.alpha(Theme.BLUE, 0.85));
    bars.setLineColor(Theme.alpha(Theme.BLUE, 0.0));
    bars.setLineStyle(SeriesLines.NONE);
    bars.setMarker(SeriesMarkers.NONE);
  }

  /** Predictions per time bucket as a filled area. */
  static XYChart volume(List<MetricPoint> points, Theme th) {
    XYChart chart = newChart(th, false);
    double[] xs = new double[points.size()];
    double[] ys = new double[points.size()];
    Range xr = new Range();
    Range yr = new Range();
    yr.add(0);
    boolean midnight = true;
    for (int i = 0; i < xs.length; i++) {
      xs[i] = points.get(i).start().toEpochMilli();
      ys[i] = points.get(i).count();
      xr.add(xs[i]);
      yr.add(ys[i]);
      midnight &= isMidnight(xs[i], true);
    }
    XYSeries s = chart.addSeries("predictions", Times.xData(xs, 0, xs.length, true), list(ys));
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
    s.setFillColor(Theme.alpha(Theme.BLUE, 0.25));
    lineStyle(s, Theme.BLUE, th, xs.length);
    axes(chart, xr, yr, true, midnight);
    countAxis(chart.getStyler(), (long) yr.max);
    chart.setYAxisTitle("predictions");
    return chart;
  }

  /** A metric per time bucket, with a gap where a bucket has no value. */
  static XYChart quality(String metric, List<MetricPoint> points, Theme th) {
    XYChart chart = newChart(th, false);
    Range xr = new Range();
    Range yr = new Range();
    boolean midnight = true;
    double[] xs = new double[points.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = points.get(i).start().toEpochMilli();
      xr.add(xs[i]);
      midnight &= isMidnight(xs[i], true);
    }
    int run = 0;
    int i = 0;
    while (i < points.size()) {
      if (points.get(i).value().isEmpty()) {
        i++;
        continue;
      }
      int start = i;
      List<Double> ys = new ArrayList<>();
      while (i < points.size() && points.get(i).value().isPresent()) {
        double v = points.get(i).value().get();
        ys.add(v);
        yr.add(v);
        i++;
      }
      XYSeries s =
          chart.addSeries(
              run == 0 ? metric : metric + " " + (run + 1), Times.xData(xs, start, i, true), ys);
      lineStyle(s, Theme.BLUE, th, points.size());
      if (ys.size() == 1 || points.size() <= 60) {
        s.setMarker(SeriesMarkers.CIRCLE);
      }
      s.setShowInLegend(run == 0);
      run++;
    }
    axes(chart, xr, yr, true, midnight);
    chart.setYAxisTitle(metric);
    return chart;
  }

  /** Observed rate against mean predicted probability, the diagonal, and each bin's count. */
  static XYChart calibration(CalibrationChart spec, Theme th) {
    XYChart chart = newChart(th, true);
    XYSeries diagonal =
        chart.addSeries("perfectly calibrated", new double[] {0, 1}, new double[] {0, 1});
    diagonal.setLineColor(Theme.AXIS);
    diagonal.setLineStyle(th.dashed());
    diagonal.setMarker(SeriesMarkers.NONE);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<CalibrationBin> used = new ArrayList<>();
    for (CalibrationBin b : spec.bins()) {
      if (b.count() > 0) {
        xs.add(b.meanPredicted());
        ys.add(b.observedRate());
        used.add(b);
      }
    }
    if (xs.isEmpty()) {
      // no labelled record in any bin: show the bins' centres at zero so the chart is not empty
      for (CalibrationBin b : spec.bins()) {
        xs.add((b.lower() + b.upper()) / 2);
        ys.add(0.0);
      }
    }
    XYSeries model = chart.addSeries("model", xs, ys);
    model.setLineColor(Theme.BLUE);
    model.setLineStyle(th.line());
    model.setMarker(SeriesMarkers.CIRCLE);
    model.setMarkerColor(Theme.BLUE);
    XYStyler s = chart.getStyler();
    s.setXAxisMin(0.0);
    s.setXAxisMax(1.0);
    s.setYAxisMin(0.0);
    s.setYAxisMax(1.0);
    s.setXAxisDecimalPattern("0.0");
    s.setYAxisDecimalPattern("0.0");
    chart.setXAxisTitle("mean predicted probability");
    chart.setYAxisTitle("observed rate");
    if (th.roomy && used.size() <= 20) {
      for (CalibrationBin b : used) {
        double y = b.observedRate() > 0.9 ? b.observedRate() - 0.05 : b.observedRate() + 0.05;
        chart.addAnnotation(
            new AnnotationText("n=" + Formats.count(b.count()), b.meanPredicted(), y, false));
      }
    }
    return chart;
  }

  // ---------------------------------------------------------------- shared

  /**
   * The chart under its title. The title is drawn here, centred on the image and cut to its width,
   * because XChart centres it on the plot area and would let a long one run off the edge.
   */
  static Painter titled(XYChart chart, String title) {
    return (g, width, height) -> {
      Theme th = new Theme(width, height);
      double top = Drawing.title(g, th, title);
      int offset = th.title(title).isEmpty() ? 0 : (int) Math.round(top - th.padding);
      AffineTransform saved = g.getTransform();
      g.translate(0, offset);
      chart.paint(g, width, height - offset);
      g.setTransform(saved);
    };
  }

  private static XYChart newChart(Theme th, boolean legend) {
    XYChart chart = new XYChart(th.width, th.height, Styler.ChartTheme.GGPlot2);
    th.style(chart.getStyler(), legend);
    chart.getStyler().setChartTitleVisible(false);
    return chart;
  }

  private static void lineStyle(XYSeries s, Color color, Theme th, int points) {
    s.setXYSeriesRenderStyle(
        s.getXYSeriesRenderStyle() == XYSeriesRenderStyle.Area
            ? XYSeriesRenderStyle.Area
            : XYSeriesRenderStyle.Line);
    s.setLineColor(color);
    s.setLineStyle(th.line());
    s.setMarkerColor(color);
    s.setMarker(points <= 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
  }

  /** Axis ranges (widened when degenerate) and label formats. */
  private static void axes(XYChart chart, Range xr, Range yr, boolean dates, boolean midnight) {
    XYStyler s = chart.getStyler();
    if (xr.min == xr.max) {
      double pad = dates ? DAY_MILLIS : Math.max(1, Math.abs(xr.min) * 0.1);
      s.setXAxisMin(xr.min - pad);
      s.setXAxisMax(xr.max + pad);
    }
    if (yr.min == yr.max) {
      double pad = Math.max(1, Math.abs(yr.min) * 0.1);
      s.setYAxisMin(yr.min - pad);
      s.setYAxisMax(yr.max + pad);
      s.setYAxisDecimalPattern(Formats.decimalPattern(yr.min - pad, yr.max + pad));
    } else {
      s.setYAxisDecimalPattern(Formats.decimalPattern(yr.min, yr.max));
    }
    if (dates) {
      // the real span picks the label format (a few minutes of data get HH:mm:ss); only a single
      // point, widened by a day either side above, falls back to a day
      long span = xr.min == xr.max ? DAY_MILLIS : (long) (xr.max - xr.min);
      s.setDatePattern(Formats.datePattern(span, midnight));
    } else {
      s.setXAxisDecimalPattern(Formats.decimalPattern(xr.min, xr.max));
    }
  }

  /** A count axis from zero, with whole-number ticks for small counts. */
  private static void countAxis(XYStyler s, long max) {
    s.setYAxisMin(0.0);
    if (max < 5) {
      s.setYAxisMax(5.0);
    }
    s.setYAxisDecimalPattern(max < 5 ? "#,##0.#" : Formats.decimalPattern(0, (double) max));
  }

  private static boolean isMidnight(double x, boolean dates) {
    return dates && Math.floorMod((long) x, DAY_MILLIS) == 0;
  }

  private static List<Double> list(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  /** The min and max of the values added. */
  private static final class Range {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double v) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
}
