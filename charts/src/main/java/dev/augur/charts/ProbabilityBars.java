package dev.augur.charts;

import dev.augur.core.chart.ProbabilitiesChart;
import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Class probabilities as horizontal bars, largest on top, each value printed after its bar. Drawn
 * with Java2D (XChart has no horizontal bars) so it works on a bitmap's and an SVG's graphics.
 */
final class ProbabilityBars implements Painter {
  private final ProbabilitiesChart spec;
  private final Theme th;

  ProbabilityBars(ProbabilitiesChart spec, Theme th) {
    this.spec = spec;
    this.th = th;
  }

  @Override
  public void paint(Graphics2D g, int width, int height) {
    Drawing.begin(g, width, height);
    double top = Drawing.title(g, th, spec.title());
    List<Map.Entry<String, Double>> entries = new ArrayList<>(spec.probabilities().entrySet());
    entries.sort(
        Comparator.comparing((Map.Entry<String, Double> e) -> e.getValue())
            .reversed()
            .thenComparing(Map.Entry::getKey));

    double pad = th.padding;
    double tickH = Theme.textHeight(th.tickFont);
    double bottom = height - pad - tickH - pad / 2;
    double rowMin = tickH * 1.35;
    int n = entries.size();
    int shown = n;
    if ((bottom - top) / n < rowMin) {
      shown = Math.max(1, (int) Math.floor((bottom - top) / rowMin) - 1);
    }
    int rows = shown < n ? shown + 1 : n;
    double rowH = (bottom - top) / rows;

    double labelMax = 0;
    for (int i = 0; i < shown; i++) {
      labelMax = Math.max(labelMax, Theme.textWidth(entries.get(i).getKey(), th.tickFont));
    }
    double labelW = Math.min(labelMax, width * 0.35);
    double valueW = Theme.textWidth("100.0%", th.tickFont) + pad / 2;
    double left = pad + labelW + pad / 2;
    double right = width - pad - valueW;
    double span = Math.max(1, right - left);

    // grid at 0, 25, 50, 75, 100 % (fewer when narrow)
    double tickLabelW = Theme.textWidth("100%", th.tickFont);
    int step = span / 4 > tickLabelW * 1.4 ? 25 : 50;
    g.setStroke(new BasicStroke(Math.max(1f, th.scale)));
    g.setFont(th.tickFont);
    for (int p = 0; p <= 100; p += step) {
      double x = left + span * p / 100.0;
      g.setColor(p == 0 ? Theme.AXIS : Theme.GRID);
      g.draw(new Line2D.Double(x, top, x, bottom));
      g.setColor(Theme.MUTED_TEXT);
      double lx = Math.max(pad + tickLabelW / 2, Math.min(x, width - pad - tickLabelW / 2));
      Drawing.text(g, p + "%", lx, bottom + pad / 2 + tickH / 2, 0.5);
    }

    double barH = Math.min(rowH * 0.65, tickH * 5);
    for (int i = 0; i < shown; i++) {
      Map.Entry<String, Double> e = entries.get(i);
      double cy = top + rowH * i + rowH / 2;
      double w = span * e.getValue();
      g.setColor(Theme.BLUE);
      g.fill(new Rectangle2D.Double(left, cy - barH / 2, Math.max(w, 0), barH));
      g.setColor(Theme.TEXT);
      g.setFont(th.tickFont);
      Drawing.text(g, Theme.fit(e.getKey(), th.tickFont, labelW), left - pad / 2, cy, 1);
      Drawing.text(g, Formats.percent(e.getValue()), left + w + Math.max(3, pad / 3), cy, 0);
    }
    if (shown < n) {
      double cy = top + rowH * shown + rowH / 2;
      g.setColor(Theme.MUTED_TEXT);
      g.setFont(th.smallFont);
      String more = "+ " + Formats.count(n - shown) + " more";
      Drawing.text(g, Theme.fit(more, th.smallFont, span + valueW), left, cy, 0);
    }
  }
}
