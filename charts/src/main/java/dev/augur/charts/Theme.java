package dev.augur.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.TimeZone;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The one look of Augur's charts at one size: GGPlot2's layout on a white background, the Okabe–Ito
 * colour-blind-safe palette, and fonts that scale with the image so that nothing is clipped from
 * 100 × 100 to 4000 × 4000 pixels. Immutable and thread-safe.
 */
final class Theme {
  /** Okabe–Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, black, yellow. */
  static final Color[] PALETTE = {
    new Color(0x0072B2),
    new Color(0xD55E00),
    new Color(0x009E73),
    new Color(0xE69F00),
    new Color(0xCC79A7),
    new Color(0x56B4E9),
    new Color(0x000000),
    new Color(0xF0E442),
  };

  static final Color BLUE = PALETTE[0];
  static final Color VERMILLION = PALETTE[1];
  static final Color BACKGROUND = Color.WHITE;
  static final Color TEXT = new Color(0x222222);
  static final Color MUTED_TEXT = new Color(0x555555);
  static final Color GRID = new Color(0xE5E5E5);
  static final Color AXIS = new Color(0xB0B0B0);

  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  final int width;
  final int height;
  final float scale;
  final Font titleFont;
  final Font labelFont;
  final Font tickFont;
  final Font smallFont;
  final int padding;
  final boolean roomy;

  Theme(int width, int height) {
    this.width = width;
    this.height = height;
    int side = Math.min(width, height);
    // 12 pt ticks at 500 px, never below 7 pt (100 px charts) nor above 28 pt
    this.scale = clamp(side / 500f, 0.6f, 2.4f);
    float tick = clamp(side / 500f * 12f, 7f, 28f);
    this.tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(tick));
    this.labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(tick * 1.1f));
    this.smallFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(7, Math.round(tick * 0.9f)));
    this.titleFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.round(tick * 1.3f));
    this.padding = Math.max(4, Math.round(side / 50f));
    this.roomy = side >= 250 && width >= 300;
  }

  /** The i-th series colour. */
  static Color color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** A colour with an alpha in [0, 1]. */
  static Color alpha(Color c, double a) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(a * 255));
  }

  /** A line stroke of the theme's width. */
  BasicStroke line() {
    return new BasicStroke(Math.max(1f, 2f * scale), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** A dashed stroke of the theme's width. */
  BasicStroke dashed() {
    float w = Math.max(1f, 1.5f * scale);
    return new BasicStroke(
        w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {4 * w, 3 * w}, 0f);
  }

  /** Width of a text in a font, in pixels. */
  static double textWidth(String text, Font font) {
    return font.getStringBounds(text, FRC).getWidth();
  }

  /** Height of a line of text in a font, in pixels. */
  static double textHeight(Font font) {
    Rectangle2D r = font.getMaxCharBounds(FRC);
    return Math.min(r.getHeight(), font.getSize2D() * 1.25);
  }

  /** The text, cut with an ellipsis so that it fits {@code max} pixels. */
  static String fit(String text, Font font, double max) {
    if (textWidth(text, font) <= max) {
      return text;
    }
    String ellipsis = "…";
    int lo = 0;
    int hi = text.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) / 2;
      if (textWidth(text.substring(0, mid) + ellipsis, font) <= max) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo == 0 ? "" : text.substring(0, lo) + ellipsis;
  }

  /** The chart title cut to the image width, or empty. */
  String title(String title) {
    return title.isBlank() ? "" : fit(title.strip(), titleFont, width - 2.0 * padding);
  }

  /** Applies the theme to an XChart axes chart styler. */
  void style(AxesChartStyler s, boolean legend) {
    s.setAntiAlias(true);
    s.setLocale(Locale.ROOT);
    s.setTimezone(TimeZone.getTimeZone("UTC"));
    s.setChartBackgroundColor(BACKGROUND);
    s.setPlotBackgroundColor(BACKGROUND);
    s.setPlotBorderVisible(false);
    s.setPlotGridLinesVisible(true);
    s.setPlotGridLinesColor(GRID);
    s.setPlotGridLinesStroke(new BasicStroke(Math.max(1f, scale)));
    s.setPlotTicksMarksVisible(false);
    s.setAxisTicksLineVisible(true);
    s.setAxisTickMarksColor(AXIS);
    s.setAxisTickMarkLength(Math.max(2, Math.round(3 * scale)));
    s.setAxisTickPadding(Math.max(2, Math.round(4 * scale)));
    s.setAxisTickLabelsColor(MUTED_TEXT);
    s.setAxisTickLabelsFont(tickFont);
    s.setAxisTitleFont(labelFont);
    s.setAxisTitlePadding(Math.max(2, Math.round(6 * scale)));
    s.setAxisTitlesVisible(roomy);
    s.setChartFontColor(TEXT);
    s.setChartTitleFont(titleFont);
    s.setChartTitleBoxVisible(false);
    s.setChartTitlePadding(Math.max(2, Math.round(6 * scale)));
    s.setChartPadding(padding);
    s.setPlotMargin(Math.max(1, Math.round(4 * scale)));
    s.setPlotContentSize(0.94);
    s.setSeriesColors(PALETTE);
    s.setLegendVisible(legend && roomy);
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
    s.setLegendFont(tickFont);
    s.setLegendBorderColor(BACKGROUND);
    s.setLegendBackgroundColor(BACKGROUND);
    s.setLegendPadding(Math.max(2, Math.round(6 * scale)));
    s.setLegendSeriesLineLength(Math.max(8, Math.round(24 * scale)));
    s.setMarkerSize(Math.max(4, Math.round(7 * scale)));
    s.setAnnotationTextFont(smallFont);
    s.setAnnotationTextFontColor(MUTED_TEXT);
    s.setToolTipsEnabled(false);
    s.setXAxisTickMarkSpacingHint(Math.max(40, Math.round(90 * scale)));
    s.setYAxisTickMarkSpacingHint(Math.max(20, Math.round(50 * scale)));
  }

  private static float clamp(float v, float lo, float hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
