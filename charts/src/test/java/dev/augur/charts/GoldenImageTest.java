package dev.augur.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.ChartRenderer;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.ChartSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares renders with the PNGs under {@code src/test/resources/golden}: fewer than 2% of the
 * pixels may differ (fonts and antialiasing vary a little between machines). Run with {@code
 * -Daugur.updateGoldens=true} to rewrite the goldens after an intended change, then look at them.
 */
class GoldenImageTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final double MAX_DIFFERING = 0.02;
  private final ChartRenderer renderer = XChartRenderer.create();

  static Stream<Arguments> goldens() {
    return Stream.of(
        Arguments.of("forecast", ChartFixtures.forecast(800, 500, 120, 20)),
        Arguments.of("probabilities", ChartFixtures.probabilities(800, 500)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void matchesTheGolden(String name, ChartSpec spec) throws IOException {
    byte[] png = renderer.render(spec, ImageFormat.PNG);
    Path golden = GOLDEN.resolve(name + ".png");
    if (Boolean.getBoolean("augur.updateGoldens")) {
      Files.createDirectories(GOLDEN);
      Files.write(golden, png);
      System.err.println("wrote golden " + golden.toAbsolutePath());
    }
    assertThat(golden)
        .as("golden image; create it with -Daugur.updateGoldens=true and look at it")
        .exists();
    BufferedImage expected = Images.decode(Files.readAllBytes(golden));
    BufferedImage actual = Images.decode(png);
    double differing = Images.differingFraction(expected, actual, 24);
    if (differing >= MAX_DIFFERING) {
      Path out = Path.of("target", "golden-actual", name + ".png");
      Files.createDirectories(out.getParent());
      Files.write(out, png);
    }
    assertThat(differing)
        .as("fraction of pixels differing from %s (actual written to target/golden-actual)", golden)
        .isLessThan(MAX_DIFFERING);
  }
}
