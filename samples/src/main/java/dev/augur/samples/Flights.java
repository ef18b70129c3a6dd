package dev.augur.samples;

import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import dev.augur.core.chart.ScoresChart;
import dev.augur.core.history.QualitySpec;
import java.util.List;

/**
 * Standing in for the taxi-fare tutorial, embedded: predict a flight's arrival delay in minutes
 * from its departure time and airports, record the true delays, and report MAE, RMSE and R².
 *
 * <p>Run from the repository root: {@code java -cp
 * "samples/target/augur-samples.jar:samples/target/lib/*" dev.augur.samples.Flights} (after {@code
 * mvn -q -DskipTests package}).
 */
public final class Flights {
  private Flights() {}

  public static void main(String[] args) {
    try (Sample s = Sample.open("flights", args)) {
      PredictionRecord first =
          s.augur.predict("flights", s.augur.manifest("flights").exampleOrDefault());
      System.out.printf(
          "example flight %s: %.1f minutes late%n",
          first.observation().values(), ((Regression) first.prediction()).value());
      List<TestSplit.Row> rows = TestSplit.read(s.version("flights"));
      for (TestSplit.Row row : rows.subList(0, Math.min(2000, rows.size()))) {
        PredictionRecord r = s.augur.predict("flights", row.observation());
        s.augur.recordOutcome("flights", r.id(), Double.parseDouble(row.target()));
      }
      s.printQuality(s.augur.quality("flights"));
      var scores =
          s.history.scores(
              "flights",
              QualitySpec.of(s.augur.manifest("flights")),
              dev.augur.core.history.HistoryWindow.all(),
              10_000);
      s.chart(
          "predicted-delays.png", new ScoresChart("Predicted delays", 800, 500, scores, "minutes"));
    }
  }
}
