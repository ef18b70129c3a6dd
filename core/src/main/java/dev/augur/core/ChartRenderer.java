package dev.augur.core;

import dev.augur.core.chart.ChartSpec;

/**
 * Draws a {@link ChartSpec} as image bytes. Implementations are thread-safe and headless.
 *
 * <pre>{@code
 * ChartRenderer charts = XChartRenderer.create();
 * byte[] png = charts.render(new ProbabilitiesChart(Map.of("died", 0.83, "survived", 0.17)), ImageFormat.PNG);
 * }</pre>
 */
public interface ChartRenderer {
  /**
   * Renders a chart at exactly the spec's width and height.
   *
   * @throws ChartException when the spec is invalid (the message names the field) or drawing fails
   */
  byte[] render(ChartSpec spec, ImageFormat format);
}
