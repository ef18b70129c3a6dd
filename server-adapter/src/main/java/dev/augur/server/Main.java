package dev.augur.server;

import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.AugurException;
import dev.augur.core.HistoryStore;
import dev.augur.core.Violation;
import dev.augur.core.model.ModelRegistry;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.model.TrafficSplit;
import dev.augur.core.source.Sources;
import dev.augur.persistence.HistoryStores;
import dev.augur.server.ServerConfig.InvalidConfigException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone server: {@code java -jar augur-server.jar [options]}. A setting comes from its
 * flag, else its environment variable, else the config file ({@code --config}, see {@link
 * ServerConfig}), else its default.
 */
@Command(
    name = "augur-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    subcommands = {Validate.class, ProfileCommand.class},
    description = "Serves the models of a folder over HTTP with a durable prediction history.")
public final class Main implements Callable<Integer> {
  /** The logback configuration of each log format, as class path resources. */
  static final Map<String, String> LOG_CONFIGS =
      Map.of(
          "text", "dev/augur/server/logback-text.xml", "json", "dev/augur/server/logback-json.xml");

  // created in call(), once the log format is known: logback configures itself on first use
  private Logger log;

  @Option(
      names = "--models",
      paramLabel = "DIR",
      defaultValue = "${env:AUGUR_MODELS:-./models}",
      description =
          "model folder (NAME/VERSION/model.json; sources.json beside them) [env AUGUR_MODELS;"
              + " default ${DEFAULT-VALUE}]")
  Path models;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "${env:PORT:-8080}",
      description = "port [env PORT; default ${DEFAULT-VALUE}]")
  int port;

  @Option(
      names = "--probe-port",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_PROBE_PORT}",
      description =
          "also answer the health probes (only them) on this port, with threads of their own, so"
              + " that they stay fast when the main port is flooded; point the orchestrator's"
              + " probes there [env AUGUR_PROBE_PORT; default none]")
  Integer probePort;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      defaultValue = "${env:AUGUR_HOST:-0.0.0.0}",
      description = "interface to bind [env AUGUR_HOST; default ${DEFAULT-VALUE}]")
  String host;

  @Option(
      names = "--database",
      paramLabel = "URL",
      defaultValue = "${env:DATABASE_URL}",
      description =
          "postgres://user:pass@host:5432/db or a jdbc: URL [env DATABASE_URL; default SQLite"
              + " history.db in the data directory]")
  String database;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:AUGUR_DATA_DIR:-./augur-data}",
      description = "data directory [env AUGUR_DATA_DIR; default ${DEFAULT-VALUE}]")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "${env:AUGUR_CONFIG}",
      description =
          "server config file (JSON: api_key, access_log, retention, limits, models) [env"
              + " AUGUR_CONFIG; default none]")
  Path config;

  // The options below have no default here: null means "not given", so the config file can fill in
  // between the environment and the default (see settings()).

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:AUGUR_API_KEY}",
      description = "key the API requires [env AUGUR_API_KEY; config api_key; default none]")
  String apiKey;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      defaultValue = "${env:AUGUR_API_KEY_FILE}",
      description =
          "file holding the key, e.g. a mounted secret such as /run/secrets/augur_api_key; instead"
              + " of --api-key [env AUGUR_API_KEY_FILE; default none]")
  Path apiKeyFile;

  @Option(
      names = "--default-model",
      paramLabel = "NAME",
      defaultValue = "${env:AUGUR_DEFAULT_MODEL}",
      description =
          "model of the compatibility routes [env AUGUR_DEFAULT_MODEL; default the only model, else"
              + " the first by name]")
  String defaultModel;

  @Option(
      names = "--max-body-mb",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_MAX_BODY_MB}",
      description =
          "largest request body in MiB [env AUGUR_MAX_BODY_MB; config limits.max_body_mb; default"
              + " 16]")
  Integer maxBodyMb;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_MAX_IN_FLIGHT}",
      description =
          "predictions served at once before answering 503 [env AUGUR_MAX_IN_FLIGHT; config"
              + " limits.max_in_flight; default 256]")
  Integer maxInFlight;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      defaultValue = "${env:AUGUR_CORS_ORIGINS}",
      description =
          "origins allowed by CORS, comma-separated, or * [env AUGUR_CORS_ORIGINS; default none:"
              + " CORS off]")
  List<String> corsOrigins;

  @Option(
      names = "--warm-up-seconds",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_WARM_UP_SECONDS:-3}",
      description =
          "before reporting ready, run each model's example through the whole request path (HTTP,"
              + " JSON, validation, a scratch history, the access log) for up to N seconds, so the"
              + " first requests after ready run at full speed; 0 turns it off [env"
              + " AUGUR_WARM_UP_SECONDS; default ${DEFAULT-VALUE}]")
  int warmUpSeconds;

  @Option(
      names = "--exit-after-warm-up",
      description =
          "load the models, run the warm-up and exit without opening the history or the port: the"
              + " training run for a class-data archive or JDK 25's AOT cache (see docs/deploy.md)"
              + " [default off]")
  boolean exitAfterWarmUp;

  @Option(
      names = "--drain-seconds",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_DRAIN_SECONDS:-20}",
      description =
          "how long shutdown waits for requests in flight [env AUGUR_DRAIN_SECONDS; default"
              + " ${DEFAULT-VALUE}]")
  int drainSeconds;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      defaultValue = "${env:AUGUR_RETENTION}",
      description =
          "delete history records older than this, in the background (ISO-8601, e.g. P90D) [env"
              + " AUGUR_RETENTION; config retention; default keep forever]")
  String retention;

  @Option(
      names = "--access-log",
      paramLabel = "FORMAT",
      defaultValue = "${env:AUGUR_ACCESS_LOG}",
      description =
          "one line per request: text, json or off [env AUGUR_ACCESS_LOG; config access_log;"
              + " default the --log-format]")
  String accessLog;

  @Option(names = "--no-access-log", description = "the same as --access-log off")
  boolean noAccessLog;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "${env:AUGUR_LOG_FORMAT:-text}",
      description =
          "the log on stdout: text or json (one object per line) [env AUGUR_LOG_FORMAT; default"
              + " ${DEFAULT-VALUE}]")
  String logFormat;

  @Option(
      names = "--keep-going",
      defaultValue = "${env:AUGUR_KEEP_GOING:-false}",
      description =
          "serve the healthy models when a package is broken, listing the broken ones on"
              + " /health/ready and /models [env AUGUR_KEEP_GOING=true; default off: a broken"
              + " package stops start-up]")
  boolean keepGoing;

  /** Entry point. */
  /** The largest temporary direct buffer a thread keeps for socket I/O (256 KiB). */
  static final int MAX_CACHED_IO_BUFFER = 256 * 1024;

  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    // The JDK writes a heap buffer to a socket through a temporary direct buffer of its size and
    // keeps it in the writing thread's cache for the thread's life unless the size is bounded:
    // every worker thread that once sent a large answer (a page of 10,000 predictions) would hold
    // megabytes outside the heap for ever. Read once, before the first socket: set it here.
    if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
      System.setProperty("jdk.nio.maxCachedBufferSize", Integer.toString(MAX_CACHED_IO_BUFFER));
    }
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * The settings in force, each from the first of: its flag or environment variable (picocli reads
   * both), the config file, the default.
   */
  record Settings(
      ServerConfig file,
      Optional<String> apiKey,
      int maxBodyMb,
      int maxInFlight,
      AccessLogFormat accessLog,
      Optional<Duration> retention) {}

  /**
   * Resolves the settings.
   *
   * @throws InvalidConfigException when the config file or a flag is invalid, naming it
   */
  Settings settings() {
    ServerConfig file = config == null ? ServerConfig.empty() : ServerConfig.read(config);
    List<Violation> problems = new ArrayList<>();
    if (apiKey != null && apiKey.isBlank()) {
      problems.add(new Violation("--api-key", "must not be blank"));
    }
    Optional<String> key = Optional.ofNullable(apiKey).or(file::apiKey);
    if (apiKeyFile != null) {
      if (apiKey != null) {
        problems.add(
            new Violation(
                "--api-key-file",
                "give the key once: --api-key-file (AUGUR_API_KEY_FILE) or --api-key"
                    + " (AUGUR_API_KEY), not both"));
      }
      try {
        // a secret file written by echo ends with a newline that is not part of the key
        String fromFile = Files.readString(apiKeyFile).strip();
        if (fromFile.isEmpty()) {
          problems.add(new Violation("--api-key-file", apiKeyFile + " is empty"));
        }
        key = Optional.of(fromFile);
      } catch (IOException e) {
        problems.add(
            new Violation(
                "--api-key-file",
                "cannot read " + apiKeyFile + " (" + e.getClass().getSimpleName() + ")"));
      }
    }
    int body = first(maxBodyMb, file.limits().maxBodyMb(), 16);
    if (body < 1 || body > 1024) {
      problems.add(new Violation("--max-body-mb", "must be in 1..1024"));
    }
    int inFlight = first(maxInFlight, file.limits().maxInFlight(), 256);
    if (inFlight < 1 || inFlight > 100_000) {
      problems.add(new Violation("--max-in-flight", "must be in 1..100000"));
    }
    // unless told otherwise the access log takes the log's format, so stdout is all text or all
    // JSON
    AccessLogFormat format =
        "json".equalsIgnoreCase(logFormat == null ? "" : logFormat.trim())
            ? AccessLogFormat.JSON
            : AccessLogFormat.TEXT;
    if (noAccessLog) {
      format = AccessLogFormat.OFF;
    } else if (accessLog != null) {
      Optional<AccessLogFormat> f = AccessLogFormat.parse(accessLog);
      if (f.isEmpty()) {
        problems.add(new Violation("--access-log", "must be text, json or off"));
      }
      format = f.orElse(format);
    } else if (file.accessLog().isPresent()) {
      format = file.accessLog().get();
    }
    Optional<Duration> keep = file.retention();
    if (retention != null) {
      try {
        keep = retention(retention);
      } catch (IllegalArgumentException e) {
        problems.add(new Violation("--retention", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(Path.of("the command line"), problems);
    }
    for (String name : file.models().keySet()) {
      if (!Files.isDirectory(models.resolve(name))) {
        problems.add(new Violation("models." + name, "there is no such model in " + models));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(config, problems);
    }
    return new Settings(file, key, body, inFlight, format, keep);
  }

  private static int first(Integer given, OptionalInt fromFile, int dflt) {
    return given != null ? given : fromFile.orElse(dflt);
  }

  /** The models to open with their per-model settings from the config file. */
  static ModelRegistry.Builder registry(
      Path models, ServerConfig config, PredictorOptions defaults) {
    ModelRegistry.Builder b = ModelRegistry.builder(models).options(defaults);
    config
        .models()
        .forEach(
            (name, m) -> {
              if (m.poolSize().isPresent() || m.batching().isPresent()) {
                PredictorOptions.Builder o = defaults.toBuilder();
                m.poolSize().ifPresent(o::poolSize);
                m.batching().ifPresent(o::batching);
                b.options(name, o.build());
              }
              m.defaultVersion().ifPresent(v -> b.defaultVersion(name, v));
              m.keepVersions().ifPresent(n -> b.keepVersions(name, n));
            });
    return b;
  }

  /**
   * Points logback at the configuration of the log format, unless the user gave one with {@code
   * -Dlogback.configurationFile}. The library jar carries no {@code logback.xml}, so an application
   * embedding Augur keeps its own logging.
   *
   * @return false when the format is unknown
   */
  boolean configureLogging() {
    String resource = LOG_CONFIGS.get(logFormat.trim().toLowerCase(java.util.Locale.ROOT));
    if (resource == null) {
      return false;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", resource);
    }
    return true;
  }

  @Override
  public Integer call() throws Exception {
    if (!configureLogging()) {
      System.err.println("augur-server: --log-format (AUGUR_LOG_FORMAT) must be text or json");
      return 2;
    }
    log = LoggerFactory.getLogger(Main.class);
    if (!Files.isDirectory(models)) {
      System.err.println(
          "augur-server: the model folder "
              + models.toAbsolutePath()
              + " does not exist (--models or AUGUR_MODELS)");
      return 2;
    }
    Settings settings;
    try {
      settings = settings();
    } catch (InvalidConfigException e) {
      System.err.println("augur-server: " + e.getMessage());
      return 2;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HistoryStore history = null;
    AugurServer server;
    Augur augur;
    java.util.concurrent.atomic.AtomicBoolean warming =
        new java.util.concurrent.atomic.AtomicBoolean(warmUpSeconds > 0);
    // The history opens (connection pool, schema migrations) on its own thread while the models
    // load
    // and the warm-up runs, which never touch it: start-up takes the longer of the two, not both.
    // A training run (--exit-after-warm-up) opens no history at all.
    java.util.concurrent.CompletableFuture<HistoryStore> opening =
        exitAfterWarmUp
            ? null
            : java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return openHistory(registry, settings.retention());
                  } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                  }
                },
                r -> {
                  Thread t = new Thread(r, "augur-history-open");
                  t.setDaemon(true);
                  t.start();
                });
    ModelRegistry loaded = null;
    try {
      Sources sources = Sources.read(models);
      // the warm-up's forward passes stay out of the metrics
      PredictorOptions defaults =
          PredictorOptions.builder()
              .batchObserver(quietWhile(warming, ServerMetrics.batchObserver(registry)))
              .build();
      loaded = registry(models, settings.file(), defaults).keepGoing(keepGoing).open();
      Optional<String> dm =
          Optional.ofNullable(defaultModel).filter(s -> !s.isBlank()).map(String::strip);
      if (warmUpSeconds > 0) {
        try {
          WarmUp.run(loaded, dm, settings.accessLog(), Duration.ofSeconds(warmUpSeconds));
        } catch (AugurException e) {
          throw e; // e.g. an unknown default model: the same error the server's start gives
        } catch (RuntimeException e) {
          log.warn("warm-up failed, starting cold: {}", e.toString());
        } finally {
          warming.set(false);
        }
      }
      if (exitAfterWarmUp) {
        log.info("warm-up done; exiting (--exit-after-warm-up)");
        sources.close();
        loaded.close();
        return 0;
      }
      history = awaitHistory(opening);
      Augur.Builder b = Augur.builder().registry(loaded).history(history).sources(sources);
      settings
          .file()
          .models()
          .forEach(
              (name, m) -> {
                if (!m.traffic().isEmpty()) {
                  b.traffic(name, TrafficSplit.of(m.traffic()));
                }
                m.shadow().ifPresent(v -> b.shadow(name, v));
              });
      dm.ifPresent(b::defaultModel);
      augur = b.build();
      AugurServer.Builder sb = AugurServer.builder(augur).host(host).port(port);
      if (probePort != null) {
        sb.probePort(probePort);
      }
      server =
          sb.apiKey(settings.apiKey().orElse(null))
              .maxBodyBytes(settings.maxBodyMb() * 1024L * 1024L)
              .bodiesInFlight(
                  settings.file().limits().bodiesInFlightMb().orElse(64) * 1024L * 1024L)
              .extraFieldBytes(settings.file().limits().extraFieldsKib().orElse(64) * 1024L)
              .bodyTimeout(
                  Duration.ofSeconds(settings.file().limits().bodyTimeoutSeconds().orElse(30)))
              .maxInFlight(settings.maxInFlight())
              .workerThreads(Math.max(64, settings.maxInFlight() + 64))
              .corsOrigins(corsOrigins == null ? List.of() : corsOrigins)
              .drain(Duration.ofSeconds(drainSeconds))
              .charts(XChartRenderer.create())
              .meterRegistry(registry)
              .accessLog(settings.accessLog())
              .ownsAugur(true)
              .build();
    } catch (AugurException | IllegalArgumentException e) {
      log.error("cannot start: {}", e.getMessage());
      closeQuietly(loaded);
      if (history == null && opening != null) {
        // nothing to check in the future: closeQuietly logs its own failure; the store is closed
        // whenever it opens, after this method has returned
        CompletableFuture<Void> unused = opening.thenAccept(Main::closeQuietly);
      }
      return 1;
    }
    AugurServer running = server;
    ModelRegistry opened = loaded;
    Thread hook =
        new Thread(
            () -> {
              running.close();
              // the registry was opened here, not by Augur: closed once the server has drained
              closeQuietly(opened);
              flushLogs();
            },
            "augur-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.start();
    server.awaitShutdown();
    return 0;
  }

  /** The history opened in the background; its failure is thrown as it would have been inline. */
  private static HistoryStore awaitHistory(
      java.util.concurrent.CompletableFuture<HistoryStore> opening) throws Exception {
    try {
      return opening.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause =
          e.getCause() instanceof java.util.concurrent.CompletionException c
              ? c.getCause()
              : e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LoggerFactory.getLogger(Main.class).warn("closing {} failed", c, e);
    }
  }

  /**
   * Stops logback, which drains its asynchronous appender: the appender's thread is a daemon, so
   * without this the shutdown's last lines ("stopped") can be lost when the JVM halts.
   */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.stop();
    }
  }

  /** The observer, silent while {@code quiet} holds. */
  static PredictorOptions.BatchObserver quietWhile(
      java.util.concurrent.atomic.AtomicBoolean quiet, PredictorOptions.BatchObserver observer) {
    return new PredictorOptions.BatchObserver() {
      @Override
      public void onBatch(String model, String version, int size, long queueNanos) {
        if (!quiet.get()) {
          observer.onBatch(model, version, size, queueNanos);
        }
      }

      @Override
      public void onInference(String model, String version, int size, long nanos) {
        if (!quiet.get()) {
          observer.onInference(model, version, size, nanos);
        }
      }
    };
  }

  /** {@code --retention}: an ISO-8601 duration such as {@code P90D} or {@code PT12H}. */
  static Optional<Duration> retention(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--retention (AUGUR_RETENTION) must be an ISO-8601 duration such as P90D or PT12H, not '"
              + text
              + "'");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--retention (AUGUR_RETENTION) must be positive: " + text);
    }
    return Optional.of(d);
  }

  private HistoryStore openHistory(PrometheusMeterRegistry registry, Optional<Duration> keep)
      throws Exception {
    HistoryStores.Builder b;
    if (database == null || database.isBlank()) {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve("history.db");
      log.info("history: SQLite {}", file.toAbsolutePath());
      b = HistoryStores.builder(file);
    } else {
      log.info("history: {}", HistoryStores.redact(database));
      b = HistoryStores.builder(database);
    }
    keep.ifPresent(b::retention);
    // the database may not answer yet (started together on Kubernetes or compose): the server
    // starts live but not ready and the store keeps trying until it does
    return b.onCommit(AugurServer.historyMetrics(registry)).openInBackground();
  }

  /** The version for {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"augur-server " + Version.VALUE};
    }
  }
}
