package dev.augur.charts;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;

/** Java2D helpers shared by the charts drawn without XChart. Stateless and thread-safe. */
final class Drawing {
  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  private Drawing() {}

  /** Antialiasing on, white background. */
  static void begin(Graphics2D g, int width, int height) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(Theme.BACKGROUND);
    g.fillRect(0, 0, width, height);
  }

  /** Draws the title centred at the top; returns the y below it. */
  static double title(Graphics2D g, Theme th, String title) {
    double y = th.padding;
    String t = th.title(title);
    if (t.isEmpty()) {
      return y;
    }
    g.setFont(th.titleFont);
    g.setColor(Theme.TEXT);
    double h = Theme.textHeight(th.titleFont);
    text(g, t, th.width / 2.0, y + h / 2, 0.5);
    return y + h + th.padding;
  }

  /**
   * Draws a text vertically centred on {@code cy}; {@code align} 0 puts its left edge at {@code x},
   * 0.5 its centre, 1 its right edge.
   */
  static void text(Graphics2D g, String text, double x, double cy, double align) {
    if (text.isEmpty()) {
      return;
    }
    Font f = g.getFont();
    LineMetrics m = f.getLineMetrics(text, FRC);
    double w = Theme.textWidth(text, f);
    float baseline = (float) (cy + (m.getAscent() - m.getDescent()) / 2);
    g.drawString(text, (float) (x - w * align), baseline);
  }
}
