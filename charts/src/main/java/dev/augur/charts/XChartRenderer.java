package dev.augur.charts;

import dev.augur.core.ChartException;
import dev.augur.core.ChartRenderer;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ChartSpecs;
import dev.augur.core.chart.ConfusionChart;
import dev.augur.core.chart.DriftChart;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.HistogramChart;
import dev.augur.core.chart.LineChart;
import dev.augur.core.chart.ProbabilitiesChart;
import dev.augur.core.chart.QualityChart;
import dev.augur.core.chart.ScoresChart;
import dev.augur.core.chart.VolumeChart;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChartRenderer} on XChart: every kind of {@code dev.augur.core.chart} as PNG, JPEG or
 * SVG (real vectors), at exactly the spec's width × height pixels, in one white, colour-blind-safe
 * theme. Thread-safe and headless: each call builds its own chart and image, and the class sets
 * {@code java.awt.headless=true} unless the application chose otherwise.
 *
 * <pre>{@code
 * ChartRenderer charts = XChartRenderer.create();
 * byte[] png = charts.render(new ProbabilitiesChart(Map.of("died", 0.83, "survived", 0.17)),
 *     ImageFormat.PNG);
 * }</pre>
 */
public final class XChartRenderer implements ChartRenderer {
  private static final Logger log = LoggerFactory.getLogger(XChartRenderer.class);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private XChartRenderer() {}

  /** A renderer; it holds no resources, so it needs no closing and may be shared freely. */
  public static XChartRenderer create() {
    return new XChartRenderer();
  }

  @Override
  public byte[] render(ChartSpec spec, ImageFormat format) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(format, "format");
    ChartSpecs.validate(spec);
    long started = System.nanoTime();
    try {
      byte[] bytes = Encoders.encode(painter(spec), spec.width(), spec.height(), format);
      if (log.isDebugEnabled()) {
        log.debug(
            "rendered {} chart {}x{} as {} in {} ms",
            spec.kind(),
            spec.width(),
            spec.height(),
            format,
            (System.nanoTime() - started) / 1_000_000);
      }
      return bytes;
    } catch (ChartException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      log.error("could not draw a {} chart", spec.kind(), e);
      // the cause stays in the log: its message is the library's, not the client's business
      throw new ChartException("could not draw the " + spec.kind() + " chart", e);
    }
  }

  /** The painter of a (validated) spec; a new chart object per call. */
  static Painter painter(ChartSpec spec) {
    Theme th = new Theme(spec.width(), spec.height());
    if (spec instanceof ForecastChart c) {
      return XYCharts.titled(XYCharts.forecast(c, th), spec.title());
    } else if (spec instanceof ProbabilitiesChart c) {
      return new ProbabilityBars(c, th);
    } else if (spec instanceof LineChart c) {
      return XYCharts.titled(XYCharts.line(c, th), spec.title());
    } else if (spec instanceof HistogramChart c) {
      return XYCharts.titled(XYCharts.histogram(c.values(), c.bins(), "", false, th), spec.title());
    } else if (spec instanceof ScoresChart c) {
      return XYCharts.titled(
          XYCharts.histogram(c.scores(), HistogramChart.DEFAULT_BINS, c.xLabel(), true, th),
          spec.title());
    } else if (spec instanceof VolumeChart c) {
      return XYCharts.titled(XYCharts.volume(c.points(), th), spec.title());
    } else if (spec instanceof QualityChart c) {
      return XYCharts.titled(XYCharts.quality(c.metric(), c.points(), th), spec.title());
    } else if (spec instanceof CalibrationChart c) {
      return XYCharts.titled(XYCharts.calibration(c, th), spec.title());
    } else if (spec instanceof ConfusionChart c) {
      return new ConfusionHeatmap(c, th);
    } else if (spec instanceof DriftChart c) {
      return DriftBars.painter(c, th);
    }
    throw new ChartException(
        "kind '"
            + spec.kind()
            + "' is unknown; known kinds: "
            + String.join(", ", ChartSpecs.KINDS));
  }
}
