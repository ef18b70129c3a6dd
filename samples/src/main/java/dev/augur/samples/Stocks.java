package dev.augur.samples;

import dev.augur.core.ForecastResult;

/**
 * The stock-picker tutorial, embedded: pick a symbol from the CSV data source, fetch its last 30
 * closes, forecast 14 business days, record the prediction and draw history and forecast.
 *
 * <p>Run from the repository root: {@code java -cp
 * "samples/target/augur-samples.jar:samples/target/lib/*" dev.augur.samples.Stocks [models]
 * [SYMBOL]} (after {@code mvn -q -DskipTests package}).
 */
public final class Stocks {
  private Stocks() {}

  public static void main(String[] args) {
    try (Sample s = Sample.open("stocks", args)) {
      var source = s.augur.sources().get("stocks");
      System.out.println("symbols: " + source.keys());
      String symbol = args.length > 1 ? args[1] : source.keys().get(0);
      ForecastResult r = s.augur.forecast("stocks", "stocks", symbol);
      System.out.printf(
          "%s: last close %s = %.2f%n",
          symbol,
          r.history().get(r.history().size() - 1).t(),
          r.history().get(r.history().size() - 1).y());
      r.forecast().forEach(p -> System.out.printf("  %s  %.2f%n", p.t(), p.y()));
      System.out.println(
          "recorded as "
              + r.record().id()
              + "; history now holds "
              + s.history.count("stocks")
              + " forecast(s)");
      s.chart(symbol + "-forecast.png", r.chart(900, 500));
    }
  }
}
