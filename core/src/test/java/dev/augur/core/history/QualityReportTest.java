package dev.augur.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityReportTest {

  @Test
  void metricsByNameKeepTheHttpOrderAndNulls() {
    ConfusionMatrix c = new ConfusionMatrix(List.of(List.of(3L, 1L), List.of(0L, 2L)));
    QualityReport q = new QualityReport("m", 6, 1, new BinaryQuality(5 / 6.0, 0.4, 0.1, null, c));
    assertThat(q.metrics().keySet())
        .containsExactly("accuracy", "log_loss", "brier", "roc_auc", "confusion");
    assertThat(q.metrics()).containsEntry("roc_auc", null);
    assertThat(q.metrics().get("confusion")).isEqualTo(List.of(List.of(3L, 1L), List.of(0L, 2L)));
    assertThat(c.count(0, 1)).isEqualTo(1L);

    assertThat(new MulticlassQuality(null, null, null, c).asMap().keySet())
        .containsExactly("accuracy", "log_loss", "macro_f1", "confusion");
    assertThat(new RegressionQuality(1.0, 2.0, null, null).asMap().keySet())
        .containsExactly("mae", "rmse", "mape", "r2");
    ForecastQuality f =
        new ForecastQuality(Arrays.asList(1.0, null), List.of(1.0), List.of(), null);
    assertThat(f.asMap().keySet()).containsExactly("mae", "rmse", "mape", "mae_mean");
    assertThat(f.mae()).containsExactly(1.0, null);
  }

  @Test
  void valuesAreFrozen() {
    ConfusionMatrix c = new ConfusionMatrix(List.of(List.of(1L)));
    assertThatThrownBy(() -> c.counts().get(0).set(0, 2L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new BinaryQuality(null, null, null, null, c).asMap().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
