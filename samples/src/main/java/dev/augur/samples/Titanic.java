package dev.augur.samples;

import dev.augur.core.Classification;
import dev.augur.core.PredictionRecord;
import dev.augur.core.chart.ModelChart;
import dev.augur.core.chart.ModelChartQuery;
import dev.augur.core.chart.ProbabilitiesChart;
import java.util.List;

/**
 * The scikit-learn Titanic tutorial, embedded: predict a passenger's survival, record the true
 * outcomes of the held-out passengers, measure live quality, and draw the model's calibration chart
 * and confusion matrix from its history with {@code Augur.chart}, without HTTP.
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
      s.printQuality(s.augur.quality(model));

      // the model's charts from its history, as GET /models/{m}/charts/{kind}.png draws them
      s.chart("calibration.png", s.augur.chart(model, ModelChart.CALIBRATION));
      s.chart(
          "confusion.svg",
          s.augur.chart(
              model, ModelChart.CONFUSION, ModelChartQuery.builder().size(500, 400).build()));
    }
  }
}
