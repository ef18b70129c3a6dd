package dev.augur.samples;

import dev.augur.core.Classification;
import dev.augur.core.PredictionRecord;
import dev.augur.core.chart.CalibrationChart;
import dev.augur.core.chart.ProbabilitiesChart;
import dev.augur.core.history.QualitySpec;
import java.util.List;
import java.util.Optional;

/**
 * The scikit-learn Titanic tutorial, embedded: predict a passenger's survival, record the true
 * outcomes of the held-out passengers, measure live quality and draw a calibration chart.
 *
 * <p>Run from the repository root: {@code mvn -q -DskipTests package && java -cp
 * "samples/target/augur-samples.jar:samples/target/lib/*" dev.augur.samples.Titanic}
 */
public final class Titanic {
  private Titanic() {}

  public static void main(String[] args) {
    run("titanic", args);
  }

  /**
   * The tutorial's flow on a Titanic model: {@code titanic} (PyTorch) or {@code titanic_forest}.
   */
  static void run(String model, String[] args) {
    try (Sample s = Sample.open(model, args)) {
      PredictionRecord first = s.augur.predict(model, s.augur.manifest(model).exampleOrDefault());
      Classification c = (Classification) first.prediction();
      System.out.printf(
          "example passenger %s: %s (P(survived) = %.3f), recorded as %s%n",
          first.observation().values(), c.label(), c.proba().orElseThrow(), first.id());
      s.chart(
          "example-probabilities.png",
          new ProbabilitiesChart("Example passenger", 600, 260, c.probabilities()));

      // the true outcomes arrive later: here, the held-out passengers' fates
      List<TestSplit.Row> rows = TestSplit.read(s.version(model));
      for (TestSplit.Row row : rows) {
        PredictionRecord r = s.augur.predict(model, row.observation());
        s.augur.recordOutcome(model, r.id(), row.target());
      }
      s.printQuality(s.augur.quality(model, Optional.empty()));
      var bins =
          s.history.calibration(
              model, QualitySpec.of(s.augur.manifest(model)), 10, Optional.empty());
      s.chart(
          "calibration.png",
          new CalibrationChart(
              "Titanic: calibration on " + rows.size() + " held-out passengers", 800, 500, bins));
    }
  }
}
