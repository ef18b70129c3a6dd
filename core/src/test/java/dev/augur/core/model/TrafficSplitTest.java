package dev.augur.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {
  @Test
  void tenThousandGeneratedIdsLandWithinTwoPercentOfTheWeights() {
    TrafficSplit split = TrafficSplit.of(Map.of("1", 90, "2", 10));
    Map<String, Integer> n = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      n.merge(split.choose(java.util.UUID.randomUUID().toString()), 1, Integer::sum);
    }
    assertThat(n.get("2") / 10_000.0).isBetween(0.08, 0.12);
    assertThat(n.get("1") + n.get("2")).isEqualTo(10_000);
  }

  @Test
  void sequentialClientIdsSplitEvenlyToo() {
    TrafficSplit split = TrafficSplit.of(Map.of("1", 50, "2", 30, "3", 20));
    Map<String, Integer> n = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      n.merge(split.choose(Integer.toString(i)), 1, Integer::sum);
    }
    assertThat(n.get("1") / 10_000.0).isBetween(0.48, 0.52);
    assertThat(n.get("2") / 10_000.0).isBetween(0.28, 0.32);
    assertThat(n.get("3") / 10_000.0).isBetween(0.18, 0.22);
  }

  @Test
  void anIdAlwaysGoesToTheSameVersionWhateverTheMapOrder() {
    Map<String, Integer> a = new LinkedHashMap<>();
    a.put("1", 90);
    a.put("2", 10);
    Map<String, Integer> b = new LinkedHashMap<>();
    b.put("2", 10);
    b.put("1", 90);
    for (int i = 0; i < 1000; i++) {
      String id = "order-" + i;
      assertThat(TrafficSplit.of(a).choose(id)).isEqualTo(TrafficSplit.of(b).choose(id));
      assertThat(TrafficSplit.of(a).choose(id)).isEqualTo(TrafficSplit.of(a).choose(id));
    }
  }

  @Test
  void zeroWeightsNeverServeAndAllZeroIsRejected() {
    TrafficSplit split = TrafficSplit.of(Map.of("1", 0, "2", 5));
    for (int i = 0; i < 1000; i++) {
      assertThat(split.choose("x" + i)).isEqualTo("2");
    }
    assertThatThrownBy(() -> TrafficSplit.of(Map.of("1", 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrafficSplit.of(Map.of("1", -1, "2", 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
