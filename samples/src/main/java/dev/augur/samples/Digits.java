package dev.augur.samples;

import dev.augur.core.Classification;
import dev.augur.core.PredictionRecord;
import dev.augur.core.chart.ConfusionChart;
import dev.augur.core.chart.ProbabilitiesChart;
import dev.augur.core.history.MulticlassQuality;
import java.util.List;

/**
 * The MNIST Flask app, embedded: classify 8×8 handwritten digits, record the true digits, measure
 * accuracy and macro F1, and draw the confusion matrix.
 *
 * <p>Run from the repository root: {@code java -cp
 * "samples/target/augur-samples.jar:samples/target/lib/*" dev.augur.samples.Digits} (after {@code
 * mvn -q -DskipTests package}).
 */
public final class Digits {
  private Digits() {}

  public static void main(String[] args) {
    try (Sample s = Sample.open("digits", args)) {
      var manifest = s.augur.manifest("digits");
      String feature = manifest.inputs().features().get(0).name();
      List<TestSplit.Row> rows = TestSplit.read(s.version("digits"));
      Classification firstPrediction = null;
      for (TestSplit.Row row : rows) {
        PredictionRecord r = s.augur.predict("digits", row.digitImage(feature));
        s.augur.recordOutcome("digits", r.id(), row.target());
        if (firstPrediction == null) {
          firstPrediction = (Classification) r.prediction();
          System.out.printf(
              "first picture: predicted %s, truly %s%n", firstPrediction.label(), row.target());
        }
      }
      s.chart(
          "first-probabilities.png",
          new ProbabilitiesChart(
              "First held-out picture", 600, 420, firstPrediction.probabilities()));
      var q = s.augur.quality("digits");
      s.printQuality(q);
      List<List<Long>> counts = ((MulticlassQuality) q.quality()).confusion().counts();
      s.chart(
          "confusion.png",
          new ConfusionChart(
              "Digits: confusion on " + rows.size() + " held-out pictures",
              700,
              640,
              manifest.output().labels(),
              counts));
    }
  }
}
