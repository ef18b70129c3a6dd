package dev.augur.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark users would run: the standalone jar started as the README starts it (access log on,
 * durable SQLite history), {@code POST /predict} with the tutorial body {@code {"id": <unique>,
 * "observation": {…}}}, wrk over loopback, and its peers side by side in the same run:
 *
 * <ul>
 *   <li>{@code augur}: {@code java -jar augur-server.jar --models samples/models --default-model
 *       titanic} (plus a port and a data directory);
 *   <li>{@code augur-nolog}: the same with {@code --access-log off}, to price the access log;
 *   <li>{@code augur-cold}: the same with {@code --warm-up-seconds 0}, to price the warm-up; {@code
 *       augur-wN}: the same with an N-second warm-up;
 *   <li>{@code bare}: {@link BareDjlMain}, one DJL forward per request, no database;
 *   <li>{@code flask}: the tutorials' Flask + peewee + SQLite app under gunicorn with the same
 *       TorchScript model ({@code bench/peers/flask_app.py}).
 * </ul>
 *
 * <p>Each side is launched alone and timed to ready; its first round right after ready is the cold
 * figure, reported apart; then each side is warmed under load, and the measured rounds alternate
 * the sides so that they share the machine's state. At the end Augur's history is counted against
 * the 2xx answers wrk saw. Every run is bounded by its duration. Then the forecast chart: Augur's
 * PNG and SVG over HTTP against R ggplot2 drawing the same chart in-process.
 *
 * <p>Usage: {@code bench/server.sh [options]}; see {@link Options#parse}.
 */
public final class ServerBenchMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String JAVA25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServerBenchMain() {}

  /** What to run; every field has a default. */
  record Options(
      List<String> sides,
      int coldSeconds,
      int warmupSeconds,
      int seconds,
      List<Integer> connections,
      int rounds,
      boolean charts,
      long soak,
      int basePort,
      String augurJava,
      List<String> augurJvmOptions,
      Path models,
      Path work) {

    static Options parse(String[] args) throws IOException {
      Map<String, String> o = new LinkedHashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("expected --option value, got " + args[i]);
        }
        o.put(args[i].substring(2), args[i + 1]);
      }
      String opts =
          o.getOrDefault("jvm-opts", System.getenv().getOrDefault("BENCH_AUGUR_OPTS", ""));
      return new Options(
          List.of(o.getOrDefault("sides", "augur,augur-nolog,bare,flask").split(",")),
          Integer.parseInt(o.getOrDefault("cold", "10")),
          Integer.parseInt(o.getOrDefault("warmup", "60")),
          Integer.parseInt(o.getOrDefault("seconds", "10")),
          List.of(o.getOrDefault("connections", "16,64").split(",")).stream()
              .map(s -> Integer.parseInt(s.trim()))
              .toList(),
          Integer.parseInt(o.getOrDefault("rounds", "1")),
          Boolean.parseBoolean(o.getOrDefault("charts", "true")),
          Long.parseLong(o.getOrDefault("soak", "0")),
          Integer.parseInt(o.getOrDefault("port", "18400")),
          o.getOrDefault("java", System.getenv().getOrDefault("BENCH_AUGUR_JAVA", "java")),
          opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+")),
          Path.of(o.getOrDefault("models", "samples/models")),
          Files.createTempDirectory("augur-bench-server"));
    }
  }

  public static void main(String[] args) throws Exception {
    Options opt = Options.parse(args);
    Path body = opt.work.resolve("observation.json");
    JsonNode example =
        JSON.readTree(opt.models.resolve("titanic/1/model.json").toFile()).get("example");
    Files.writeString(body, JSON.writeValueAsString(example));
    Path lua = Path.of("bench/peers/ids.lua").toAbsolutePath();

    List<Side> sides = new ArrayList<>();
    int port = opt.basePort;
    for (String name : opt.sides) {
      sides.add(Side.of(name.trim(), port++, opt));
    }
    Wrk wrk = new Wrk(lua, body);
    Report report = new Report();
    try {
      // 1. launch each side alone; time it to ready; its first round is the cold figure
      for (Side s : sides) {
        s.start();
        report.ready.put(s.name, s.readyMillis);
        // the load starts the moment the side is ready, as an autoscaler's traffic does (issue
        // 21): the idle RSS is read at ready, before it
        report.idleRss.put(s.name, s.rssKiB());
        Wrk.Result cold = wrk.run(s, 64, opt.coldSeconds);
        s.account(cold);
        report.cold.put(s.name, cold);
        log(
            "%s: ready in %d ms, idle RSS %d MiB; cold %s",
            s.name, s.readyMillis, report.idleRss.get(s.name) / 1024, cold);
      }
      // 2. warm every side under load, alone
      for (Side s : sides) {
        Wrk.Result w = wrk.run(s, 64, opt.warmupSeconds);
        s.account(w);
        report.warmup.put(s.name, w);
        report.rssAfterWarmup.put(s.name, s.rssKiB());
        log("%s: warm-up %s", s.name, w);
      }
      // 3. measured rounds, the sides alternating
      for (int round = 1; round <= opt.rounds; round++) {
        for (int c : opt.connections) {
          for (Side s : sides) {
            long cpu0 = s.cpuTicks();
            Wrk.Result r = wrk.run(s, c, opt.seconds);
            double cores = (s.cpuTicks() - cpu0) / 100.0 / opt.seconds;
            s.account(r);
            report.rounds.add(new Report.Row(round, c, s.name, r, cores));
            log("round %d c=%d %s: %s, %.2f cores", round, c, s.name, r, cores);
          }
        }
      }
      // 4. memory over many predictions: keep loading Augur with its defaults (the side named
      // "augur") until it served the soak count
      for (Side s : sides) {
        if (s.name.equals("augur") && opt.soak > 0) {
          long before = s.rssKiB();
          long servedBefore = s.answered2xx;
          long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
          while (s.answered2xx < opt.soak && System.nanoTime() < deadline) {
            s.account(wrk.run(s, 64, opt.seconds));
          }
          report.soak.put(s.name, new Report.Soak(servedBefore, before, s.answered2xx, s.rssKiB()));
        }
      }
      // 5. charts: Augur's forecast PNG and SVG over HTTP against R ggplot2
      Optional<Side> augur = sides.stream().filter(s -> s.name.equals("augur")).findFirst();
      if (opt.charts && augur.isPresent()) {
        report.charts = ChartBench.run(augur.get(), opt.work);
      }
    } finally {
      for (Side s : sides) {
        s.stop();
      }
    }
    for (Side s : sides) {
      if (s.kind == Kind.AUGUR) {
        report.history.put(s.name, new Report.History(s.answered2xx, s.historyRows(), s.cutOff));
      }
    }
    report.print(opt, sides);
  }

  /** The command with its {@code --data-dir} moved into {@code dir}. */
  private static List<String> withDataDir(List<String> cmd, Path dir) {
    List<String> out = new ArrayList<>(cmd);
    int i = out.indexOf("--data-dir");
    out.set(i + 1, dir.resolve("data").toString());
    return out;
  }

  static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
  }

  enum Kind {
    AUGUR,
    BARE,
    FLASK
  }

  /** One server under test: a child process on its own port. */
  static final class Side {
    final String name;
    final Kind kind;
    final int port;
    final Path dir;
    final List<String> command;
    final Map<String, String> env = new LinkedHashMap<>();
    Process process;
    long readyMillis;
    long answered2xx;
    long cutOff;

    private Side(String name, Kind kind, int port, Path dir, List<String> command) {
      this.name = name;
      this.kind = kind;
      this.port = port;
      this.dir = dir;
      this.command = command;
    }

    static Side of(String name, int port, Options opt) throws Exception {
      Path dir = Files.createDirectories(opt.work.resolve(name));
      Path models = opt.models.toAbsolutePath();
      switch (name) {
        case "augur", "augur-nolog", "augur-cold", "augur-cds", "augur-aot", "augur-x" -> {
          List<String> cmd = new ArrayList<>();
          String jar =
              Path.of("server-adapter/target/augur-server.jar").toAbsolutePath().toString();
          switch (name) {
            case "augur-cds" -> {
              // Java 17 with an AppCDS archive made by a training run, as the image build does
              Path jsa = dir.resolve("augur.jsa");
              train(opt.augurJava, "-XX:ArchiveClassesAtExit=" + jsa, jar, models, dir);
              cmd.add(opt.augurJava);
              cmd.add("-XX:SharedArchiveFile=" + jsa);
            }
            case "augur-aot" -> {
              // JDK 25 with an AOT cache (classes linked, method profiles) from a training run
              String java25 = System.getenv().getOrDefault("BENCH_JAVA25", JAVA25);
              Path aot = dir.resolve("augur.aot");
              train(java25, "-XX:AOTCacheOutput=" + aot, jar, models, dir);
              cmd.add(java25);
              cmd.add("-XX:AOTCache=" + aot);
            }
            case "augur-x" -> {
              // any JVM and options: BENCH_X_JAVA, BENCH_X_OPTS
              cmd.add(System.getenv().getOrDefault("BENCH_X_JAVA", opt.augurJava));
              String x = System.getenv().getOrDefault("BENCH_X_OPTS", "");
              if (!x.isBlank()) {
                cmd.addAll(List.of(x.trim().split("\\s+")));
              }
            }
            default -> cmd.add(opt.augurJava);
          }
          cmd.addAll(opt.augurJvmOptions);
          cmd.addAll(
              List.of(
                  "-jar",
                  jar,
                  "--models",
                  models.toString(),
                  "--default-model",
                  "titanic",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--data-dir",
                  dir.resolve("data").toString()));
          if (name.equals("augur-nolog")) {
            cmd.addAll(List.of("--access-log", "off"));
          }
          if (name.equals("augur-cold")) {
            cmd.addAll(List.of("--warm-up-seconds", "0"));
          }
          return new Side(name, Kind.AUGUR, port, dir, cmd);
        }
        case "bare" -> {
          String cp = Files.readString(Path.of("server-adapter/target/bench-classpath.txt")).trim();
          return new Side(
              name,
              Kind.BARE,
              port,
              dir,
              List.of(
                  "java",
                  "-Dai.djl.offline=true",
                  "-Dlogback.configurationFile="
                      + Path.of(
                              "server-adapter/src/main/resources/dev/augur/server/logback-text.xml")
                          .toAbsolutePath(),
                  "-cp",
                  cp,
                  BareDjlMain.class.getName(),
                  Integer.toString(port),
                  models.resolve("titanic/1").toString()));
        }
        case "flask" -> {
          // two sync workers, one per core, as gunicorn's docs start from
          Side s =
              new Side(
                  name,
                  Kind.FLASK,
                  port,
                  dir,
                  List.of(
                      "gunicorn",
                      "--workers",
                      "2",
                      "--bind",
                      "127.0.0.1:" + port,
                      "--chdir",
                      Path.of("bench/peers").toAbsolutePath().toString(),
                      "flask_app:app"));
          s.env.put("BENCH_MODEL_DIR", models.resolve("titanic/1").toString());
          s.env.put("BENCH_DB", dir.resolve("predictions.db").toString());
          return s;
        }
        default -> {
          // augur-wN: the jar with an N-second warm-up
          if (name.matches("augur-w\\d+")) {
            Side s = of("augur", port, opt);
            List<String> cmd = new ArrayList<>(s.command);
            cmd.addAll(List.of("--warm-up-seconds", name.substring("augur-w".length())));
            Files.createDirectories(opt.work.resolve(name));
            return new Side(
                name,
                Kind.AUGUR,
                port,
                opt.work.resolve(name),
                withDataDir(cmd, opt.work.resolve(name)));
          }
          throw new IllegalArgumentException("unknown side " + name);
        }
      }
    }

    /**
     * The image build's training run: the jar loads the models, runs its warm-up ({@code
     * --exit-after-warm-up}) and exits, leaving its class archive or AOT cache behind.
     */
    static void train(String javaBin, String flag, String jar, Path models, Path dir)
        throws Exception {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  javaBin,
                  flag,
                  "-jar",
                  jar,
                  "--models",
                  models.toString(),
                  "--default-model",
                  "titanic",
                  "--exit-after-warm-up",
                  "--warm-up-seconds",
                  System.getenv().getOrDefault("BENCH_TRAIN_SECONDS", "20"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("training.log").toFile())
              .start();
      if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("training run failed; see " + dir.resolve("training.log"));
      }
      log(
          "%s: training run %s in %d ms",
          dir.getFileName(), flag, (System.nanoTime() - t0) / 1_000_000);
    }

    String predictUrl() {
      return "http://127.0.0.1:" + port + "/predict";
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    void start() throws Exception {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .redirectError(dir.resolve("stderr.log").toFile());
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      process = pb.start();
      long deadline = t0 + Duration.ofSeconds(120).toNanos();
      String probe = kind == Kind.FLASK ? predictUrl() : url("/health/ready");
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name + " exited with " + process.exitValue() + "; see " + dir);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " not ready after 120 s; see " + dir);
        }
        if (kind == Kind.FLASK ? flaskUp(probe) : status(probe) == 200) {
          readyMillis = (System.nanoTime() - t0) / 1_000_000;
          return;
        }
        Thread.sleep(10);
      }
    }

    private static boolean flaskUp(String url) {
      // gunicorn has no readiness route: any HTTP answer means a worker is serving
      return status(url) > 0;
    }

    static int status(String url) {
      try {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    void account(Wrk.Result r) {
      answered2xx += r.requests() - r.non2xx();
      cutOff += r.connections();
    }

    /** Resident memory of the process and its children (gunicorn's workers), KiB. */
    long rssKiB() {
      return tree().stream().mapToLong(pid -> procField(pid, "status", "VmRSS:")).sum();
    }

    /** CPU time of the process and its children, in clock ticks (1/100 s). */
    long cpuTicks() {
      long sum = 0;
      for (long pid : tree()) {
        try {
          String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
          // the process just exited
        }
      }
      return sum;
    }

    private List<Long> tree() {
      List<Long> pids = new ArrayList<>();
      pids.add(process.pid());
      process.descendants().forEach(h -> pids.add(h.pid()));
      return pids;
    }

    private static long procField(long pid, String file, String key) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
          if (line.startsWith(key)) {
            return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone
      }
      return 0;
    }

    /** Rows in Augur's SQLite history (after {@link #stop()}). */
    long historyRows() throws Exception {
      Path db = dir.resolve("data/history.db");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
          ResultSet rs =
              c.createStatement()
                  .executeQuery("select count(*) from augur_prediction where model = 'titanic'")) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /** SIGTERM (a graceful shutdown for each side), then a kill after 30 s. */
    void stop() throws InterruptedException {
      if (process == null || !process.isAlive()) {
        return;
      }
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** wrk over loopback with unique ids; every run is bounded by its duration. */
  static final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern PCT = Pattern.compile("\\s(50|90|99)%\\s+([\\d.]+)(us|ms|s)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path lua;
    private final Path body;
    private long run;

    Wrk(Path lua, Path body) {
      this.lua = lua;
      this.body = body;
    }

    record Result(
        int connections,
        int seconds,
        double rps,
        double p50,
        double p90,
        double p99,
        long requests,
        long non2xx,
        long socketErrors) {
      @Override
      public String toString() {
        return String.format(
            Locale.ROOT,
            "%,.0f req/s, p50 %.1f ms, p99 %.1f ms, %d non-2xx, %d socket errors",
            rps,
            p50,
            p99,
            non2xx,
            socketErrors);
      }
    }

    Result run(Side side, int connections, int seconds) throws Exception {
      // ids never repeat, across runs and threads: run * 10^11 + thread * 10^9 + counter
      long base = ++run * 100_000_000_000L;
      return parse(
          connections,
          seconds,
          exec(
              "wrk",
              "-t2",
              "-c" + connections,
              "-d" + seconds + "s",
              "--timeout",
              "10s",
              "--latency",
              "-s",
              lua.toString(),
              side.predictUrl(),
              "--",
              Long.toString(base),
              body.toString()));
    }

    /** One URL fetched by one connection for {@code seconds}: the latency of a lone client. */
    Result get(String url, int seconds) throws Exception {
      return parse(
          1,
          seconds,
          exec("wrk", "-t1", "-c1", "-d" + seconds + "s", "--timeout", "10s", "--latency", url));
    }

    static String exec(String... cmd) throws Exception {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    }

    static Result parse(int connections, int seconds, String s) {
      Map<String, Double> pct = new LinkedHashMap<>();
      Matcher m = PCT.matcher(s);
      while (m.find()) {
        double v = Double.parseDouble(m.group(2));
        pct.put(
            m.group(1),
            switch (m.group(3)) {
              case "us" -> v / 1000;
              case "s" -> v * 1000;
              default -> v;
            });
      }
      long errors = 0;
      Matcher e = ERRORS.matcher(s);
      if (e.find()) {
        for (int i = 1; i <= 4; i++) {
          errors += Long.parseLong(e.group(i));
        }
      }
      return new Result(
          connections,
          seconds,
          Double.parseDouble(find(RPS, s, "0")),
          pct.getOrDefault("50", Double.NaN),
          pct.getOrDefault("90", Double.NaN),
          pct.getOrDefault("99", Double.NaN),
          Long.parseLong(find(TOTAL, s, "0")),
          Long.parseLong(find(NON2XX, s, "0")),
          errors);
    }

    private static String find(Pattern p, String s, String dflt) {
      Matcher m = p.matcher(s);
      return m.find() ? m.group(1) : dflt;
    }
  }

  /** The forecast chart: Augur over HTTP (warm) against R ggplot2 in-process (warm). */
  static final class ChartBench {
    record Result(double augurPngMs, double augurSvgMs, double ggplotMs, int ggplotRenders) {}

    static Result run(Side augur, Path work) throws Exception {
      HttpResponse<String> f =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(augur.url("/models/stocks/forecast?source=stocks&key=TECH")))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (f.statusCode() != 200) {
        throw new IllegalStateException("forecast answered " + f.statusCode() + ": " + f.body());
      }
      JsonNode forecast = JSON.readTree(f.body());
      String png = augur.url(forecast.get("chart").asText());
      String svg = png.replaceFirst("\\.png$", ".svg");
      // warm both formats (10 s each), then measure 10 s each with one connection
      Wrk wrk = new Wrk(null, null);
      wrk.get(png, 10);
      wrk.get(svg, 10);
      Wrk.Result p = wrk.get(png, 10);
      Wrk.Result s = wrk.get(svg, 10);
      log("charts: Augur PNG %s; SVG %s", p, s);

      // the same points for R: history then forecast
      Path csv = work.resolve("forecast.csv");
      StringBuilder b = new StringBuilder("t,y,part\n");
      for (JsonNode pt : forecast.get("history")) {
        b.append(pt.get("t").asText())
            .append(',')
            .append(pt.get("y").asDouble())
            .append(",history\n");
      }
      for (JsonNode pt : forecast.get("forecast")) {
        b.append(pt.get("t").asText())
            .append(',')
            .append(pt.get("y").asDouble())
            .append(",forecast\n");
      }
      Files.writeString(csv, b);
      String out =
          Wrk.exec(
              "Rscript",
              Path.of("bench/peers/forecast_plot.R").toAbsolutePath().toString(),
              csv.toString(),
              work.resolve("ggplot.png").toString(),
              "50");
      Matcher m = Pattern.compile("median_ms=([\\d.]+) renders=(\\d+)").matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("R printed no timing:\n" + out);
      }
      double r = Double.parseDouble(m.group(1));
      log("charts: R ggplot2 median %.1f ms", r);
      return new Result(p.p50(), s.p50(), r, Integer.parseInt(m.group(2)));
    }
  }

  /** Everything measured, printed as Markdown tables at the end. */
  static final class Report {
    record Row(int round, int connections, String side, Wrk.Result result, double cores) {}

    record History(long answered2xx, long rows, long cutOff) {}

    record Soak(long servedBefore, long rssBefore, long servedAfter, long rssAfter) {}

    final Map<String, Long> ready = new LinkedHashMap<>();
    final Map<String, Long> idleRss = new LinkedHashMap<>();
    final Map<String, Wrk.Result> cold = new LinkedHashMap<>();
    final Map<String, Wrk.Result> warmup = new LinkedHashMap<>();
    final Map<String, Long> rssAfterWarmup = new LinkedHashMap<>();
    final List<Row> rounds = new ArrayList<>();
    final Map<String, History> history = new LinkedHashMap<>();
    final Map<String, Soak> soak = new LinkedHashMap<>();
    ChartBench.Result charts;

    void print(Options opt, List<Side> sides) {
      out("");
      out(
          "Run: sides %s; cold %d s, warm-up %d s at 64 connections, rounds of %d s at %s"
              + " connections (x%d); wrk -t2 over loopback; %s",
          opt.sides,
          opt.coldSeconds,
          opt.warmupSeconds,
          opt.seconds,
          opt.connections,
          opt.rounds,
          opt.augurJvmOptions.isEmpty() ? "default JVM options" : opt.augurJvmOptions);
      out("");
      out(
          "| side | ready after launch | idle RSS | cold: first %d s after ready (c=64) | p99 |",
          opt.coldSeconds);
      out("|---|---:|---:|---:|---:|");
      for (Side s : sides) {
        Wrk.Result c = cold.get(s.name);
        out(
            "| %s | %,d ms | %,d MiB | %,.0f req/s | %.1f ms |",
            s.name, ready.get(s.name), idleRss.get(s.name) / 1024, c.rps(), c.p99());
      }
      out("");
      out(
          "| round | connections | side | requests/s | p50 | p90 | p99 | non-2xx | socket errors"
              + " | CPU (cores) | × bare | × flask | × augur-nolog |");
      out("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (Row r : rounds) {
        out(
            "| %d | %d | %s | %,.0f | %.1f ms | %.1f ms | %.1f ms | %d | %d | %.2f | %s | %s | %s |",
            r.round,
            r.connections,
            r.side,
            r.result.rps(),
            r.result.p50(),
            r.result.p90(),
            r.result.p99(),
            r.result.non2xx(),
            r.result.socketErrors(),
            r.cores,
            ratio(r, "bare"),
            ratio(r, "flask"),
            ratio(r, "augur-nolog"));
      }
      for (Map.Entry<String, Wrk.Result> c : cold.entrySet()) {
        Optional<Row> steady =
            rounds.stream()
                .filter(r -> r.side.equals(c.getKey()) && r.connections == 64)
                .reduce((a, b) -> b);
        steady.ifPresent(
            s ->
                out(
                    "%n%s warm start: first %d s after ready %,.0f req/s p99 %.1f ms;"
                        + " steady %,.0f req/s p99 %.1f ms: throughput %.2f× steady,"
                        + " p99 %.2f× steady",
                    c.getKey(),
                    opt.coldSeconds,
                    c.getValue().rps(),
                    c.getValue().p99(),
                    s.result.rps(),
                    s.result.p99(),
                    c.getValue().rps() / s.result.rps(),
                    c.getValue().p99() / s.result.p99()));
      }
      for (Map.Entry<String, History> h : history.entrySet()) {
        History v = h.getValue();
        boolean ok = v.rows >= v.answered2xx && v.rows - v.answered2xx <= v.cutOff;
        out(
            "%n%s history: %,d rows for %,d 2xx answers (rows may exceed answers only by requests"
                + " cut off when a run ended, at most %,d): %s",
            h.getKey(),
            v.rows,
            v.answered2xx,
            v.cutOff,
            ok ? "every 2xx is in the history" : "MISMATCH");
      }
      for (Map.Entry<String, Soak> s : soak.entrySet()) {
        Soak v = s.getValue();
        out(
            "%n%s memory: RSS %,d MiB after %,d predictions, %,d MiB after %,d (%+.1f%%)",
            s.getKey(),
            v.rssBefore / 1024,
            v.servedBefore,
            v.rssAfter / 1024,
            v.servedAfter,
            100.0 * (v.rssAfter - v.rssBefore) / v.rssBefore);
      }
      if (charts != null) {
        out(
            "%ncharts: warm 800×500 forecast over HTTP, one connection: PNG p50 %.1f ms, SVG p50"
                + " %.1f ms (SVG/PNG %.2f); R ggplot2 in-process median of %d renders %.1f ms:"
                + " Augur PNG is %.1f× faster",
            charts.augurPngMs,
            charts.augurSvgMs,
            charts.augurSvgMs / charts.augurPngMs,
            charts.ggplotRenders,
            charts.ggplotMs,
            charts.ggplotMs / charts.augurPngMs);
      }
    }

    private String ratio(Row r, String to) {
      return rounds.stream()
          .filter(o -> o.round == r.round && o.connections == r.connections && o.side.equals(to))
          .findFirst()
          .map(o -> String.format(Locale.ROOT, "%.2f", r.result.rps() / o.result.rps()))
          .orElse("");
    }

    private static void out(String format, Object... args) {
      System.out.println(String.format(Locale.ROOT, format, args));
    }
  }
}
