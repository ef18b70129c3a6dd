package dev.augur.persistence.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL these tests use: {@code AUGUR_TEST_POSTGRES}, by default 127.0.0.1:5432, database
 * test, trust auth.
 */
public final class Postgres {
  public static final String URL =
      System.getenv()
          .getOrDefault("AUGUR_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test");

  private Postgres() {}

  /** {@link #URL} reached through another port on 127.0.0.1 (a {@link LoopbackProxy}'s). */
  public static String throughPort(int port) {
    return URL.replaceFirst("@[^/]+/", "@127.0.0.1:" + port + "/");
  }

  /** Skips the calling test loudly when PostgreSQL is absent, or fails it under CI=true. */
  public static void assumeAvailable() {
    boolean up;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
      up = true;
    } catch (Exception e) {
      up = false;
    }
    if (!up) {
      String msg = "PostgreSQL is not reachable on 127.0.0.1:5432";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(msg + " and CI=true: the PostgreSQL tests must run in CI");
      }
      System.err.println("SKIPPED: " + msg + "; PostgreSQL history tests skipped");
      Assumptions.abort(msg);
    }
  }
}
