package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.HistoryStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer under load is killed with SIGKILL; every record it acknowledged is in the file. */
class CrashDurabilityTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedRecordSurvivesKillNine() throws Exception {
    Path db = dir.resolve("crash.db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(),
                db.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> acked = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < 3000 && (line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
        }
      }
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(3000);
    try (HistoryStore store = HistoryStores.sqlite(db)) {
      List<String> missing = new ArrayList<>();
      for (String id : acked) {
        if (store.find("crash", id).isEmpty()) {
          missing.add(id);
        }
      }
      assertThat(missing).as("acknowledged but lost").isEmpty();
      assertThat(store.count("crash")).isGreaterThanOrEqualTo(acked.size());
    }
  }
}
