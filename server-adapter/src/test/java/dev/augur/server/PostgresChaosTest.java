package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.PostgresCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability rule against a real PostgreSQL of the test's own (a throwaway cluster of the
 * installed binaries): under load, a fast restart, a crash (immediate stop, then start with crash
 * recovery), a stop lasting 10 s and a 3 s network cut lose no acknowledged prediction, leave no
 * row that was never acknowledged, answer 503 with Retry-After and never 500, turn readiness false
 * and back, and every client has a 200 again within 2 s of the database.
 */
class PostgresChaosTest {
  @TempDir Path dir;

  @Test
  void restartsCrashesAndStopsLoseNothingAcknowledgedAndAnswer503NotFiveHundred() throws Exception {
    Path bin = PostgresCluster.assumeBinaries();
    try (PostgresCluster pg = PostgresCluster.start(bin);
        LoopbackProxy proxy = PostgresChaos.proxy(pg);
        Running server = Running.start(dir, PostgresChaos.openStore(pg, proxy), b -> {})) {
      PostgresChaos.Result r = new PostgresChaos(pg, proxy, 8, Duration.ofSeconds(10)).run(server);
      String table = PostgresChaos.table(r);
      System.out.println(table);
      assertThat(r.lost()).as("acknowledged ids missing from the table\n" + table).isZero();
      assertThat(r.neverAcknowledged()).as("rows never acknowledged\n" + table).isZero();
      assertThat(r.acknowledged()).isEqualTo(r.rows());
      for (PostgresChaos.Scenario s : r.scenarios()) {
        assertThat(s.status500()).as(s.name() + ": 500s\n" + table).isZero();
        assertThat(s.otherFailures()).as(s.name() + ": other failures\n" + table).isZero();
        assertThat(s.readinessWentFalse()).as(s.name() + ": readiness false\n" + table).isTrue();
        assertThat(s.readinessBack()).as(s.name() + ": readiness back\n" + table).isTrue();
        assertThat(s.recoveryMillis())
            .as(s.name() + ": every client answered within 2 s of the database\n" + table)
            .isLessThanOrEqualTo(2_000);
      }
    }
  }
}
