package dev.augur.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import dev.augur.core.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values far beyond what a model was trained on (the fuzzer's 1e308) make real models answer NaN or
 * infinity; such a prediction is the caller's mistake (422 naming the observation) and is never
 * answered or recorded, since a NaN in the history made every later read of it fail.
 */
class NonFiniteOutputTest {
  @Test
  void aModelAnsweringNanOrInfinityIsAnInvalidInputNotAPrediction() {
    for (String model : new String[] {"tab_binary_softmax", "regression_scaled"}) {
      int refused = 0;
      try (Predictor p = Predictor.load(Fixtures.model(model))) {
        Observation example = p.manifest().exampleOrDefault();
        for (String field : example.values().keySet()) {
          if (!(example.values().get(field) instanceof Number)) {
            continue;
          }
          for (double huge : new double[] {1e308, -1e308}) {
            Map<String, Object> values = new LinkedHashMap<>(example.values());
            values.put(field, huge);
            try {
              Prediction out = p.predict(Observation.of(values));
              assertThat(out.fields().toString())
                  .as(model + " " + field + "=" + huge + " answered")
                  .doesNotContain("NaN")
                  .doesNotContain("Infinity");
            } catch (InvalidInputException e) {
              refused += e.getMessage().contains("not a finite number") ? 1 : 0;
            }
          }
        }
      }
      assertThat(refused).as(model + ": refused as not finite").isPositive();
    }
  }
}
