package dev.augur.core.chart;

/**
 * What to draw: the chart kind's data plus an optional title and a size in pixels (default 800 ×
 * 500). The kinds are the records of this package.
 */
public interface ChartSpec {
  /** Default width in pixels. */
  int DEFAULT_WIDTH = 800;

  /** Default height in pixels. */
  int DEFAULT_HEIGHT = 500;

  /** The kind's name as in JSON specs, e.g. {@code "forecast"}. */
  String kind();

  /** The title, or an empty string for none. */
  String title();

  /** Width in pixels. */
  int width();

  /** Height in pixels. */
  int height();
}
