package dev.augur.charts;

import java.awt.Graphics2D;

/** Draws a whole chart onto a graphics context of a given size: a bitmap's or an SVG's. */
@FunctionalInterface
interface Painter {
  /** Paints the chart into {@code [0, width) × [0, height)}. */
  void paint(Graphics2D g, int width, int height);
}
