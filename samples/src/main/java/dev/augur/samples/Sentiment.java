package dev.augur.samples;

import dev.augur.core.Classification;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.chart.ProbabilitiesChart;
import java.util.List;
import java.util.Map;

/**
 * The sentiment-analyser tutorial, embedded: classify a review sentence, then the held-out
 * sentences with their true sentiment, and report live accuracy and ROC AUC.
 *
 * <p>Run from the repository root: {@code java -cp
 * "samples/target/augur-samples.jar:samples/target/lib/*" dev.augur.samples.Sentiment [models] ["a
 * sentence"]} (after {@code mvn -q -DskipTests package}).
 */
public final class Sentiment {
  private Sentiment() {}

  public static void main(String[] args) {
    try (Sample s = Sample.open("sentiment", args)) {
      String feature = s.augur.manifest("sentiment").inputs().features().get(0).name();
      String sentence =
          args.length > 1 ? args[1] : "The battery lasts all day and the sound is great.";
      PredictionRecord r = s.augur.predict("sentiment", Observation.of(Map.of(feature, sentence)));
      Classification c = (Classification) r.prediction();
      System.out.printf("\"%s\" → %s %s%n", sentence, c.label(), c.probabilities());
      s.chart("sentence.png", new ProbabilitiesChart(sentence, 700, 240, c.probabilities()));
      List<TestSplit.Row> rows = TestSplit.read(s.version("sentiment"));
      for (TestSplit.Row row : rows) {
        PredictionRecord p = s.augur.predict("sentiment", row.observation());
        s.augur.recordOutcome("sentiment", p.id(), row.target());
      }
      s.printQuality(s.augur.quality("sentiment"));
    }
  }
}
