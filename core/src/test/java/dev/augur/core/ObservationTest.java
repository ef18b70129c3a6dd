package dev.augur.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservationTest {
  @Test
  void sameAsComparesNumbersByValueAndIgnoresFieldOrder() {
    Observation stored = Observation.of(Map.of("a", 1, "b", 0.5, "c", List.of(1, 2.25)));
    assertThat(Observation.of(Map.of("c", List.of(1L, 2.25f), "b", 0.5f, "a", 1.0)).sameAs(stored))
        .isTrue();
    assertThat(Observation.of(Map.of("x", 1.1f)).sameAs(Observation.of(Map.of("x", 1.1)))).isTrue();
    assertThat(
            Observation.of(Map.of("x", new java.math.BigDecimal("1.000")))
                .sameAs(Observation.of(Map.of("x", 1))))
        .isTrue();
  }

  @Test
  void sameAsTellsDifferentValuesTypesAndShapesApart() {
    Observation o = Observation.of(Map.of("a", 1, "s", "1"));
    assertThat(Observation.of(Map.of("a", 2, "s", "1")).sameAs(o)).isFalse();
    assertThat(Observation.of(Map.of("a", 1, "s", 1)).sameAs(o)).isFalse();
    assertThat(Observation.of(Map.of("a", 1)).sameAs(o)).isFalse();
    assertThat(Observation.of(Map.of("a", 1.0000001, "s", "1")).sameAs(o)).isFalse();
    assertThat(
            Observation.of(Map.of("l", List.of(1, 2)))
                .sameAs(Observation.of(Map.of("l", List.of(1)))))
        .isFalse();
  }
}
