package dev.augur.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.source.Point;
import dev.augur.core.source.Sources;
import dev.augur.core.testing.Fixtures;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predict for a key: the stock-picker flow on a slice of the real SPI sector indices. */
class ForecastFlowTest {
  static Augur augur;

  @BeforeAll
  static void open(@TempDir Path dir) {
    Path models = Fixtures.repositoryOf(dir, "series_relative", "tab_binary_softmax");
    augur = Augur.builder().models(models).sources(Sources.of(Fixtures.stocks())).build();
  }

  @AfterAll
  static void close() {
    augur.close();
  }

  @Test
  void fetchesTheWindowPredictsAndContinuesTheBusinessDayCalendar() {
    ForecastResult r = augur.forecast("series_relative", "stocks", "HLTH");
    List<Point> expectedWindow = augur.sources().get("stocks").fetch("HLTH", 30);
    assertThat(r.history()).isEqualTo(expectedWindow);
    assertThat(r.forecast()).hasSize(14);
    assertThat(r.forecast().get(0).t()).isEqualTo(LocalDate.parse("2008-10-20"));
    assertThat(r.forecast())
        .extracting(p -> ((LocalDate) p.t()).getDayOfWeek())
        .doesNotContain(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    Prediction direct =
        augur
            .models()
            .predictor("series_relative")
            .predict(
                Observation.of(Map.of("Closes", expectedWindow.stream().map(Point::y).toList())));
    assertThat(r.forecast()).extracting(Point::y).isEqualTo(((Forecast) direct).values());
    Forecast recorded = (Forecast) r.record().prediction();
    assertThat(recorded.timestamps()).first().isEqualTo("2008-10-20");
    assertThat(r.record().observation().values().get("Closes")).asList().hasSize(30);
    assertThat(r.chart().history()).isEqualTo(r.history());
    assertThat(r.chart().forecast())
        .extracting(p -> p.t())
        .isEqualTo(r.forecast().stream().map(Point::t).toList());
  }

  @Test
  void errorsAreTyped() {
    assertThatThrownBy(() -> augur.forecast("series_relative", "stocks", "NOPE"))
        .isInstanceOf(KeyNotFoundException.class);
    assertThatThrownBy(() -> augur.forecast("series_relative", "nope", "HLTH"))
        .isInstanceOf(SourceNotFoundException.class);
    assertThatThrownBy(() -> augur.forecast("tab_binary_softmax", "stocks", "HLTH"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a forecast model");
  }
}
