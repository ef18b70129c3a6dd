package dev.augur.core.bench;

import dev.augur.core.Observation;
import dev.augur.core.Predictor;
import dev.augur.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak: N predictions (default 1,000,000) from 8 threads through the micro-batcher; prints the
 * process's resident set size every 10% so native memory growth would show. Usage: {@code SoakMain
 * [count] [model]}.
 */
public final class SoakMain {
  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    long total = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    String model = args.length > 1 ? args[1] : "tab_binary_softmax";
    try (Predictor p = Predictor.load(Fixtures.model(model))) {
      Observation obs = p.manifest().exampleOrDefault();
      AtomicLong done = new AtomicLong();
      long step = total / 10;
      System.out.printf("model %s, %d predictions, 8 threads%n", model, total);
      System.out.printf("%12s %10s %10s%n", "predictions", "rss_mib", "heap_mib");
      report(0);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      long t0 = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(
            pool.submit(
                () -> {
                  long n;
                  while ((n = done.incrementAndGet()) <= total) {
                    p.predict(obs);
                    if (n % step == 0) {
                      report(n);
                    }
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("done in %.1f s (%.0f predictions/s)%n", s, total / s);
    }
  }

  private static synchronized void report(long n) {
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "%12d %10.1f %10.1f%n",
        n, rssKib() / 1024.0, (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
  }

  static long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
