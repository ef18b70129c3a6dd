package dev.augur.persistence;

import dev.augur.core.HistoryStore;
import dev.augur.core.Observation;
import dev.augur.core.PredictionRecord;
import dev.augur.core.Regression;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link CrashDurabilityTest}: writes records from 16 threads forever and
 * prints "ACK id" for each one the store acknowledged, until it is killed.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) {
    HistoryStore store = HistoryStores.sqlite(Path.of(args[0]));
    AtomicLong next = new AtomicLong();
    for (int t = 0; t < 16; t++) {
      Thread th =
          new Thread(
              () -> {
                while (true) {
                  String id = "crash-" + next.incrementAndGet();
                  store.record(
                      PredictionRecord.of(
                          id,
                          "crash",
                          "1",
                          Instant.now(),
                          Observation.of(Map.of("n", id)),
                          new Regression(1),
                          0.1));
                  synchronized (System.out) {
                    System.out.println("ACK " + id);
                    System.out.flush();
                  }
                }
              });
      th.start();
    }
  }
}
