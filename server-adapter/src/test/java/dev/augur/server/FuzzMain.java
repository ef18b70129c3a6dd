package dev.augur.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The long soak of {@code bench/fuzz.sh}: hostile requests against a running server on loopback,
 * with the server's resident memory read from {@code /proc} before and after. Arguments: port,
 * requests, seed, threads, the server's process id and, optionally, a deadline in epoch seconds
 * after which it stops at the end of the current round of 20,000 and reports how far it got. Exits
 * 1 on any failure.
 */
public final class FuzzMain {
  private FuzzMain() {}

  /** Runs the soak. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long n = Long.parseLong(args[1]);
    long seed = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    long pid = Long.parseLong(args[4]);
    long deadline =
        args.length > 5 && !args[5].isEmpty() ? Long.parseLong(args[5]) : Long.MAX_VALUE;
    long started = System.nanoTime();
    Fuzzer fuzzer = new Fuzzer(port);
    fuzzer.run(seed + 1, Math.min(5_000, n), threads); // warm-up
    long rssStart = rssKb(pid);
    long chunk = Math.max(1, Math.min(n, 20_000));
    long failures = 0;
    long sent = 0;
    long maxRss = rssStart;
    int round = 0;
    while (sent < n) {
      long size = Math.min(chunk, n - sent);
      Fuzzer.Result r = fuzzer.run(seed * 1_000 + round++, size, threads);
      sent += size;
      failures += r.failureCount();
      long rss = rssKb(pid);
      maxRss = Math.max(maxRss, rss);
      System.out.printf(Locale.ROOT, "%d/%d: %s; rss %d MB%n", sent, n, r.summary(), rss / 1024);
      r.failures().forEach(f -> System.out.println("  FAIL " + f));
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        System.out.println("the server process is gone");
        System.exit(1);
      }
      if (sent < n && System.currentTimeMillis() / 1000 >= deadline) {
        System.out.printf(
            Locale.ROOT, "deadline reached: stopped after %d of %d requests%n", sent, n);
        break;
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    long t0 = System.nanoTime();
    int status = fuzzer.status("GET", "/health/ready", "");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long rssEnd = rssKb(pid);
    // once the load stops, the server's idle collections give the heap back: wait for it, bounded
    long settleUntil = System.nanoTime() + 60_000_000_000L;
    while (rssEnd > rssStart * 5 / 4 && System.nanoTime() < settleUntil) {
      Thread.sleep(1000);
      rssEnd = rssKb(pid);
    }
    boolean settled = rssEnd <= rssStart * 5 / 4;
    System.out.printf(
        Locale.ROOT,
        "done: %d requests in %d s, %d failures; readiness %d in %d ms; rss after warm-up %d MB,"
            + " peak %d MB, after the load %d MB (%s)%n",
        sent,
        seconds,
        failures,
        status,
        ms,
        rssStart / 1024,
        maxRss / 1024,
        rssEnd / 1024,
        settled ? "within 25% of the start" : "NOT back within 25% of the start");
    System.exit(failures == 0 && status == 200 && settled ? 0 : 1);
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
