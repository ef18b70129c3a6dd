package dev.augur.core.bench;

import dev.augur.core.Predictor;
import dev.augur.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;

/**
 * Model load time (manifest, TorchScript load, warm-up) and resident memory per loaded model: loads
 * each fixture model 5 times and reports the median load time and the RSS growth per copy.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) {
    String[] models =
        args.length > 0
            ? args
            : new String[] {
              "tab_binary_softmax", "image_digits", "text_sentiment", "series_relative"
            };
    // the engine itself (native library, threads) is loaded once per process; count it apart
    long rss0 = SoakMain.rssKib();
    Predictor.load(Fixtures.model(models[0])).close();
    long rssEngine = SoakMain.rssKib();
    System.out.printf("engine start-up: %.1f MiB RSS%n", (rssEngine - rss0) / 1024.0);
    System.out.printf("%-20s %14s %16s%n", "model", "load_ms_median", "rss_mib_per_copy");
    for (String m : models) {
      List<Predictor> held = new ArrayList<>();
      long[] ms = new long[5];
      long before = SoakMain.rssKib();
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        held.add(Predictor.load(Fixtures.model(m)));
        ms[i] = (System.nanoTime() - t0) / 1_000_000;
      }
      long after = SoakMain.rssKib();
      java.util.Arrays.sort(ms);
      System.out.printf("%-20s %14d %16.1f%n", m, ms[2], (after - before) / 1024.0 / 5);
      held.forEach(Predictor::close);
    }
  }
}
