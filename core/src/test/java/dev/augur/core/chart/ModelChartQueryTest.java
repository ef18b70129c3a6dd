package dev.augur.core.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.InvalidInputException;
import dev.augur.core.drift.DriftQuery;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelChartQueryTest {
  @Test
  void defaultsToTheServersDefaults() {
    ModelChartQuery q = ModelChartQuery.defaults();
    assertThat(q.width()).isEqualTo(800);
    assertThat(q.height()).isEqualTo(500);
    assertThat(q.window()).isEmpty();
    assertThat(q.bucket()).isEmpty();
    assertThat(q.metric()).isEmpty();
    assertThat(q.bins()).isEqualTo(10);
    assertThat(q.drift()).isEqualTo(DriftQuery.lastDay());
  }

  @Test
  void keepsWhatTheBuilderWasGiven() {
    ModelChartQuery q =
        ModelChartQuery.builder()
            .size(300, 200)
            .window(Duration.ofDays(7))
            .bucket(Duration.ofHours(6))
            .metric("rmse")
            .bins(20)
            .build();
    assertThat(q.width()).isEqualTo(300);
    assertThat(q.height()).isEqualTo(200);
    assertThat(q.window()).contains(Duration.ofDays(7));
    assertThat(q.bucket()).contains(Duration.ofHours(6));
    assertThat(q.metric()).contains("rmse");
    assertThat(q.bins()).isEqualTo(20);
  }

  @Test
  void rejectsOutOfRangePartsNamingThem() {
    assertThat(field(() -> ModelChartQuery.builder().size(99, 500).build())).isEqualTo("width");
    assertThat(field(() -> ModelChartQuery.builder().size(800, 4001).build())).isEqualTo("height");
    assertThat(field(() -> ModelChartQuery.builder().bins(1).build())).isEqualTo("bins");
    assertThat(field(() -> ModelChartQuery.builder().window(Duration.ZERO).build()))
        .isEqualTo("window");
    assertThat(field(() -> ModelChartQuery.builder().bucket(Duration.ofSeconds(-1)).build()))
        .isEqualTo("bucket");
  }

  /** The field named by the violation {@code build} throws. */
  private static String field(Runnable build) {
    try {
      build.run();
    } catch (InvalidInputException e) {
      return e.violations().get(0).field();
    }
    throw new AssertionError("no InvalidInputException");
  }

  @Test
  void kindsParseFromTheirUrlNames() {
    assertThat(ModelChart.ids())
        .containsExactly("volume", "scores", "quality", "calibration", "confusion", "drift");
    assertThat(ModelChart.parse("calibration")).contains(ModelChart.CALIBRATION);
    assertThat(ModelChart.parse("CALIBRATION")).isEmpty();
    assertThat(ModelChart.parse("pie")).isEmpty();
  }
}
