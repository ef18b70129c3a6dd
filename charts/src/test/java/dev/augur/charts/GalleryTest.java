package dev.augur.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.ChartRenderer;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.ChartSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Renders every kind into {@code target/gallery}, and into {@code docs/charts} of the project when
 * {@code -Daugur.updateGallery=true}, for people to look at.
 */
class GalleryTest {
  private final ChartRenderer renderer = XChartRenderer.create();

  @Test
  void rendersTheGallery() throws IOException {
    Path out =
        Boolean.getBoolean("augur.updateGallery")
            ? Path.of("..", "docs", "charts")
            : Path.of("target", "gallery");
    Files.createDirectories(out);
    for (int[] size : new int[][] {{800, 500}, {300, 200}, {100, 100}}) {
      List<BufferedImage> tiles = new ArrayList<>();
      for (Map.Entry<String, ChartSpec> e : ChartFixtures.all(size[0], size[1]).entrySet()) {
        tiles.add(
            ImageIO.read(new ByteArrayInputStream(renderer.render(e.getValue(), ImageFormat.PNG))));
        String suffix = size[0] == 800 ? "" : "-" + size[0] + "x" + size[1];
        Path file = out.resolve(e.getKey() + suffix + ".png");
        Files.write(file, renderer.render(e.getValue(), ImageFormat.PNG));
        assertThat(file).isNotEmptyFile();
        if (size[0] == 800) {
          Files.write(
              Path.of("target").resolve(e.getKey() + ".svg"),
              renderer.render(e.getValue(), ImageFormat.SVG));
        }
      }
      Files.write(Path.of("target", "sheet-" + size[0] + "x" + size[1] + ".png"), sheet(tiles));
    }
  }

  /** The tiles in a 3-column grid on grey, to look at small sizes at a glance. */
  private static byte[] sheet(List<BufferedImage> tiles) throws IOException {
    int w = tiles.get(0).getWidth();
    int h = tiles.get(0).getHeight();
    int gap = 6;
    int rows = (tiles.size() + 2) / 3;
    BufferedImage out =
        new BufferedImage(3 * (w + gap) + gap, rows * (h + gap) + gap, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.GRAY);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    for (int i = 0; i < tiles.size(); i++) {
      g.drawImage(tiles.get(i), gap + (i % 3) * (w + gap), gap + (i / 3) * (h + gap), null);
    }
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(out, "png", bytes);
    return bytes.toByteArray();
  }
}
