package dev.augur.charts;

import dev.augur.core.chart.ConfusionChart;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * A confusion matrix as a heat map: rows the true label, columns the predicted one, each cell
 * shaded by its share of the row (the recall of the row's label) and showing its count. Drawn with
 * Java2D so it works on a bitmap's and an SVG's graphics.
 */
final class ConfusionHeatmap implements Painter {
  private static final Color LOW = new Color(0xF4F8FB);

  private final ConfusionChart spec;
  private final Theme th;

  ConfusionHeatmap(ConfusionChart spec, Theme th) {
    this.spec = spec;
    this.th = th;
  }

  @Override
  public void paint(Graphics2D g, int width, int height) {
    Drawing.begin(g, width, height);
    double top = Drawing.title(g, th, spec.title()) + th.padding / 2.0;
    List<String> labels = spec.labels();
    int n = labels.size();
    double pad = th.padding;
    double tickH = Theme.textHeight(th.tickFont);
    double axisH = th.roomy ? Theme.textHeight(th.labelFont) + pad / 2 : 0;

    double labelMax = 0;
    for (String l : labels) {
      labelMax = Math.max(labelMax, Theme.textWidth(l, th.tickFont));
    }
    double rowLabelW = Math.min(labelMax, width * 0.25);
    double left = pad + axisH + rowLabelW + pad / 2;
    double right = width - pad;
    // first guess of the cell size with horizontal column labels
    double bottom = height - pad - axisH - tickH - pad / 2;
    double cell = Math.min((right - left) / n, (bottom - top) / n);
    boolean rotated = labelMax > cell * 0.95 && cell < tickH * 6;
    double colLabelH = tickH;
    if (rotated) {
      colLabelH = Math.min(labelMax, height * 0.2);
      bottom = height - pad - axisH - colLabelH - pad / 2;
      cell = Math.min((right - left) / n, (bottom - top) / n);
    }
    cell = Math.max(cell, 1);
    double gridW = cell * n;
    double x0 = left + ((right - left) - gridW) / 2;
    double y0 = top + ((bottom - top) - gridW) / 2;

    boolean cellText = cell >= tickH * 1.2;
    for (int i = 0; i < n; i++) {
      List<Long> row = spec.counts().get(i);
      long total = 0;
      for (long c : row) {
        total += c;
      }
      for (int j = 0; j < n; j++) {
        long c = row.get(j);
        double share = total == 0 ? 0 : (double) c / total;
        g.setColor(mix(LOW, Theme.BLUE, share));
        Rectangle2D r = new Rectangle2D.Double(x0 + j * cell, y0 + i * cell, cell, cell);
        g.fill(r);
        g.setColor(Theme.BACKGROUND);
        g.draw(r);
        if (cellText) {
          String text = Formats.count(c);
          g.setFont(Theme.textWidth(text, th.tickFont) <= cell * 0.9 ? th.tickFont : th.smallFont);
          if (Theme.textWidth(text, g.getFont()) <= cell * 0.95) {
            g.setColor(share > 0.5 ? Color.WHITE : Theme.TEXT);
            Drawing.text(g, text, r.getCenterX(), r.getCenterY(), 0.5);
          }
        }
      }
    }

    g.setColor(Theme.MUTED_TEXT);
    g.setFont(th.tickFont);
    for (int i = 0; i < n; i++) {
      double cy = y0 + i * cell + cell / 2;
      if (cell >= tickH * 0.8 || i % Math.max(1, (int) Math.ceil(tickH / cell)) == 0) {
        Drawing.text(g, Theme.fit(labels.get(i), th.tickFont, rowLabelW), x0 - pad / 2, cy, 1);
      }
    }
    double labelsTop = y0 + gridW + pad / 2;
    int every = Math.max(1, (int) Math.ceil(tickH / cell));
    for (int j = 0; j < n; j += rotated ? every : 1) {
      double cx = x0 + j * cell + cell / 2;
      if (rotated) {
        AffineTransform saved = g.getTransform();
        g.translate(cx, labelsTop);
        g.rotate(-Math.PI / 2);
        Drawing.text(g, Theme.fit(labels.get(j), th.tickFont, colLabelH), 0, 0, 1);
        g.setTransform(saved);
      } else {
        Drawing.text(
            g, Theme.fit(labels.get(j), th.tickFont, cell * 0.95), cx, labelsTop + tickH / 2, 0.5);
      }
    }

    if (th.roomy) {
      g.setFont(th.labelFont);
      g.setColor(Theme.TEXT);
      double labelH = Theme.textHeight(th.labelFont);
      Drawing.text(
          g, "predicted", x0 + gridW / 2, labelsTop + colLabelH + pad / 2 + labelH / 2, 0.5);
      AffineTransform saved = g.getTransform();
      double labelX = Math.max(pad + labelH / 2, x0 - pad - rowLabelW - labelH / 2);
      g.translate(labelX, y0 + gridW / 2);
      g.rotate(-Math.PI / 2);
      Drawing.text(g, "true", 0, 0, 0.5);
      g.setTransform(saved);
    }
  }

  private static Color mix(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }
}
