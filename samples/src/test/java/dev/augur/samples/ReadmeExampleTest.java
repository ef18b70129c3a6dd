package dev.augur.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.Classification;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example, as written (run from the samples module, so the path is one level
 * up).
 */
class ReadmeExampleTest {
  @Test
  void theEmbeddingExampleRunsAsWritten() {
    try (Predictor titanic = Predictor.load(Path.of("../samples/models/titanic/1"))) {
      Prediction p =
          titanic.predict(
              Observation.of(
                  Map.of(
                      "gender",
                      "female",
                      "age",
                      29.0,
                      "class",
                      "1st",
                      "embarked",
                      "S",
                      "fare",
                      211.0)));
      System.out.println(p.fields());
      assertThat(p.fields()).containsKeys("label", "probabilities", "proba");
      assertThat(((Classification) p).label()).isEqualTo("survived");
    }
  }
}
