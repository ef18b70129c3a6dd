package dev.augur.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.ImageFormat;
import dev.augur.core.NothingToDrawException;
import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ConfusionChart;
import dev.augur.core.chart.ModelChart;
import dev.augur.core.history.CalibrationBin;
import dev.augur.persistence.HistoryStores;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Titanic sample, which draws the model's charts from its history through {@code
 * Augur.chart} with no server, and checks the images it wrote are those charts of the history it
 * recorded.
 */
class TitanicTest {
  private static final Path MODELS = Path.of("models");
  private static final Path OUT = Path.of("target", "samples", "titanic");

  @TempDir Path tmp;

  @Test
  void drawsTheCalibrationChartAndConfusionMatrixOfWhatItRecorded() throws IOException {
    Titanic.main(new String[] {MODELS.toString()});

    byte[] png = Files.readAllBytes(OUT.resolve("calibration.png"));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(500);
    int heldOut = TestSplit.read(MODELS.resolve("titanic/1")).size();
    try (HistoryStore history = HistoryStores.sqlite(OUT.resolve("history.db"));
        Augur augur = Augur.builder().models(MODELS).history(history).build()) {
      // the file is the chart of the recorded history: every held-out passenger in a bin
      CalibrationChart calibration =
          (CalibrationChart) augur.chart("titanic", ModelChart.CALIBRATION);
      assertThat(calibration.bins().stream().mapToLong(CalibrationBin::count).sum())
          .isEqualTo(heldOut);
      assertThat(XChartRenderer.create().render(calibration, ImageFormat.PNG)).isEqualTo(png);

      ConfusionChart confusion = (ConfusionChart) augur.chart("titanic", ModelChart.CONFUSION);
      assertThat(confusion.labels()).containsExactly("died", "survived");
      assertThat(confusion.counts().stream().flatMap(List::stream).mapToLong(Long::longValue).sum())
          .isEqualTo(heldOut);
    }
    String svg = Files.readString(OUT.resolve("confusion.svg"));
    assertThat(svg).contains("<svg").contains("Confusion matrix of titanic");
  }

  @Test
  void aModelWithNoHistoryYetHasNothingToDrawNamingTheModel() {
    try (HistoryStore history = HistoryStores.sqlite(tmp.resolve("empty.db"));
        Augur augur = Augur.builder().models(MODELS).history(history).build()) {
      assertThatThrownBy(() -> augur.chart("titanic", ModelChart.VOLUME))
          .isInstanceOf(NothingToDrawException.class)
          .hasMessage("nothing to draw yet: titanic has no predictions");
      assertThatThrownBy(() -> augur.chart("stocks", ModelChart.CALIBRATION))
          .isInstanceOf(NothingToDrawException.class)
          .hasMessageContaining("calibration charts are for binary classifiers; stocks is");
    }
  }
}
