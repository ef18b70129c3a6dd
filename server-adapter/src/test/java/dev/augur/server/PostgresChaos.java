package dev.augur.server;

import dev.augur.core.HistoryStore;
import dev.augur.persistence.HistoryStores;
import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.PostgresCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Restarts, crashes and stops a throwaway PostgreSQL (and cuts the network to it, at a loopback
 * proxy) under an Augur server while clients send predictions with unique ids over loopback, and
 * reports what they saw: per scenario the 503s, any other status, whether readiness turned false
 * and back, and how long after the database was back every client had a 200 again; then compares
 * the acknowledged ids with the table. A client moves on to a new id after a 503, so a 503 that
 * still committed shows up as a row never acknowledged.
 *
 * <p>Run by {@code PostgresChaosTest} and by {@code bench/chaos.sh} ({@link #main}).
 */
final class PostgresChaos {
  static final String MODEL = "tab_binary_softmax";
  static final String PREDICT = "/models/" + MODEL + "/predict";

  /** What the clients saw during one scenario, from its start until every client recovered. */
  record Scenario(
      String name,
      long requests,
      int status503,
      int status500,
      int otherFailures,
      long databaseDownMillis,
      long recoveryMillis,
      long readyMillis,
      boolean readinessWentFalse,
      boolean readinessBack) {
    String row() {
      return String.format(
          "| %-38s | %8d | %6d | %5d | %5d | %10d | %11d | %8d | %-15s |",
          name,
          requests,
          status503,
          status500,
          otherFailures,
          databaseDownMillis,
          recoveryMillis,
          readyMillis,
          (readinessWentFalse ? "false" : "TRUE") + " → " + (readinessBack ? "true" : "FALSE"));
    }
  }

  /** The whole run: scenarios, then the table compared with the acknowledgements. */
  record Result(
      List<Scenario> scenarios,
      long acknowledged,
      long rows,
      long lost,
      long neverAcknowledged,
      List<String> firstProblems) {}

  private final PostgresCluster pg;
  private final LoopbackProxy proxy;
  private final int clients;
  private final Duration longStop;
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger phase = new AtomicInteger();
  private final AtomicInteger[] n503 = counters();
  private final AtomicInteger[] n500 = counters();
  private final AtomicInteger[] nOther = counters();
  private final AtomicInteger[] nRequests = counters();
  private final AtomicInteger[] notReady = counters();
  private volatile long backAt = Long.MAX_VALUE;
  private final java.util.concurrent.atomic.AtomicLong readyAfterBack =
      new java.util.concurrent.atomic.AtomicLong();
  private final AtomicLongArray firstOkAfterBack;
  private volatile boolean stop;

  /** The server's store must reach {@code pg} through {@code proxy} ({@link #openStore}). */
  PostgresChaos(PostgresCluster pg, LoopbackProxy proxy, int clients, Duration longStop) {
    this.pg = pg;
    this.proxy = proxy;
    this.clients = clients;
    this.longStop = longStop;
    this.firstOkAfterBack = new AtomicLongArray(clients);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static AtomicInteger[] counters() {
    AtomicInteger[] a = new AtomicInteger[8];
    for (int i = 0; i < a.length; i++) {
      a[i] = new AtomicInteger();
    }
    return a;
  }

  /**
   * The store as the standalone server opens it (defaults, retried in the background), reaching the
   * cluster through a loopback proxy that a scenario cuts.
   */
  static HistoryStore openStore(PostgresCluster pg, LoopbackProxy proxy) {
    return HistoryStores.builder(pg.url().replace(":" + pg.port() + "/", ":" + proxy.port() + "/"))
        .openInBackground();
  }

  /** A started proxy in front of the cluster. */
  static LoopbackProxy proxy(PostgresCluster pg) throws IOException {
    LoopbackProxy p = new LoopbackProxy(pg.port());
    p.start();
    return p;
  }

  /** Runs the three scenarios against a server on the cluster's history. */
  Result run(Running server) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(daemon(() -> client(http, server, client), "chaos-client-" + c));
    }
    Thread ready = daemon(() -> readiness(http, server), "chaos-readiness");
    List<Scenario> scenarios = new ArrayList<>();
    try {
      steady(500);
      scenarios.add(scenario(1, "fast restart (pg_ctl restart -m fast)", pg::restartFast, server));
      steady(500);
      scenarios.add(
          scenario(
              2,
              "crash (stop -m immediate, start)",
              () -> {
                pg.stop("immediate");
                pg.startServer();
              },
              server));
      steady(500);
      scenarios.add(
          scenario(
              3,
              "stopped " + longStop.toSeconds() + " s (stop -m fast)",
              () -> {
                pg.stop("fast");
                hold(longStop);
                pg.startServer();
              },
              server));
      steady(500);
      scenarios.add(
          scenario(
              4,
              "network cut 3 s (loopback proxy)",
              () -> {
                proxy.cut();
                hold(Duration.ofSeconds(3));
                try {
                  proxy.start();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              server));
      steady(200);
    } finally {
      stop = true;
      for (Thread t : threads) {
        t.join(60_000);
      }
      ready.join(10_000);
    }
    Set<String> rows = new HashSet<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id FROM augur_prediction WHERE model = '" + MODEL + "'")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    long lost = acked.stream().filter(id -> !rows.contains(id)).count();
    List<String> never = rows.stream().filter(id -> !acked.contains(id)).sorted().toList();
    if (!never.isEmpty()) {
      problems.add("rows never acknowledged: " + never.subList(0, Math.min(10, never.size())));
    }
    return new Result(
        scenarios,
        acked.size(),
        rows.size(),
        lost,
        never.size(),
        List.copyOf(problems.subList(0, Math.min(20, problems.size()))));
  }

  /** Disrupts the database, then waits (bounded) until every client has had a 200 again. */
  private Scenario scenario(int p, String name, Runnable disrupt, Running server) {
    phase.set(p);
    long t0 = System.nanoTime();
    disrupt.run();
    long back = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      firstOkAfterBack.set(c, 0);
    }
    readyAfterBack.set(0);
    backAt = back;
    long deadline = back + Duration.ofSeconds(30).toNanos();
    long recovered = -1;
    while (System.nanoTime() < deadline) {
      long latest = 0;
      boolean all = true;
      for (int c = 0; c < clients; c++) {
        long ok = firstOkAfterBack.get(c);
        all &= ok != 0;
        latest = Math.max(latest, ok);
      }
      if (all) {
        recovered = (latest - back) / 1_000_000;
        break;
      }
      LockSupport.parkNanos(5_000_000);
    }
    boolean readyBack = waitReady(server);
    backAt = Long.MAX_VALUE;
    long readyAt = readyAfterBack.get();
    long readyMillis = ((readyAt == 0 ? System.nanoTime() : readyAt) - back) / 1_000_000;
    phase.set(0);
    return new Scenario(
        name,
        nRequests[p].get(),
        n503[p].get(),
        n500[p].get(),
        nOther[p].get(),
        (back - t0) / 1_000_000,
        recovered < 0 ? Long.MAX_VALUE : recovered,
        readyMillis,
        notReady[p].get() > 0,
        readyBack);
  }

  private boolean waitReady(Running server) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (server.get("/health/ready").status() == 200) {
        return true;
      }
      LockSupport.parkNanos(10_000_000);
    }
    return false;
  }

  /** Waits until the clients have had {@code n} more acknowledgements: load is steady again. */
  private void steady(int n) {
    int target = acked.size() + n;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (acked.size() < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
    }
    if (acked.size() < target) {
      throw new IllegalStateException("the clients are not getting answers: " + problems);
    }
  }

  /** The outage itself lasts this long: a duration under test, not a wait for something. */
  private static void hold(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private void client(HttpClient http, Running server, int client) {
    long seq = 0;
    URI uri = server.uri(PREDICT);
    while (!stop) {
      String id = "chaos-" + client + "-" + seq++;
      int p = phase.get();
      HttpRequest req =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"id\": \"" + id + "\", \"observation\": " + ServerApiTest.PASSENGER + "}"))
              .build();
      nRequests[p].incrementAndGet();
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        long done = System.nanoTime();
        switch (r.statusCode()) {
          case 200 -> {
            acked.add(id);
            if (done > backAt) {
              firstOkAfterBack.compareAndSet(client, 0, done);
            }
          }
          case 503 -> {
            n503[p].incrementAndGet();
            if (r.headers().firstValue("Retry-After").isEmpty()) {
              nOther[p].incrementAndGet();
              problems.add("503 without Retry-After: " + r.body());
            }
          }
          case 500 -> {
            n500[p].incrementAndGet();
            problems.add("500 on " + id + ": " + r.body());
          }
          default -> {
            nOther[p].incrementAndGet();
            problems.add(r.statusCode() + " on " + id + ": " + r.body());
          }
        }
      } catch (IOException e) {
        nOther[p].incrementAndGet();
        problems.add("no answer for " + id + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void readiness(HttpClient http, Running server) {
    HttpRequest req =
        HttpRequest.newBuilder(server.uri("/health/ready")).timeout(Duration.ofSeconds(10)).build();
    while (!stop) {
      int p = phase.get();
      try {
        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        long done = System.nanoTime();
        if (status != 200) {
          notReady[p].incrementAndGet();
        } else if (done > backAt) {
          readyAfterBack.compareAndSet(0, done);
        }
      } catch (IOException e) {
        problems.add("readiness probe failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  static String table(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| scenario                               | requests |    503 |   500 | other | db down ms | recovery ms | ready ms | ready           |\n");
    sb.append(
        "|----------------------------------------|---------:|-------:|------:|------:|-----------:|------------:|---------:|-----------------|\n");
    r.scenarios().forEach(s -> sb.append(s.row()).append('\n'));
    sb.append(
        String.format(
            "acknowledged %d, rows %d, lost %d, rows never acknowledged %d%n",
            r.acknowledged(), r.rows(), r.lost(), r.neverAcknowledged()));
    r.firstProblems().forEach(p -> sb.append("  ").append(p).append('\n'));
    return sb.toString();
  }

  /** {@code bench/chaos.sh [clients] [stop-seconds]}: prints the table. */
  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int stopSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path dir = Files.createTempDirectory("augur-chaos-");
    try (PostgresCluster pg = PostgresCluster.start(PostgresCluster.assumeBinaries());
        LoopbackProxy proxy = proxy(pg);
        Running server = Running.start(dir, openStore(pg, proxy), b -> {})) {
      Result r = new PostgresChaos(pg, proxy, clients, Duration.ofSeconds(stopSeconds)).run(server);
      System.out.println("| clients " + clients + " |");
      System.out.print(table(r));
    }
  }
}
