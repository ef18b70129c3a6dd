package dev.augur.server;

import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.AugurException;
import dev.augur.core.HistoryStore;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.source.Sources;
import dev.augur.persistence.HistoryStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone server: {@code java -jar augur-server.jar [options]}. Options fall back to
 * environment variables, then to defaults.
 */
@Command(
    name = "augur-server",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Serves the models of a folder over HTTP with a durable prediction history.",
    defaultValueProvider = CommandLine.PropertiesDefaultProvider.class)
public final class Main implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--models",
      paramLabel = "DIR",
      defaultValue = "${env:AUGUR_MODELS:-./models}",
      description =
          "model folder (NAME/VERSION/model.json; sources.json beside them) [env AUGUR_MODELS; default ${DEFAULT-VALUE}]")
  Path models;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "${env:PORT:-8080}",
      description = "port [env PORT; default ${DEFAULT-VALUE}]")
  int port;

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
          "postgres://user:pass@host:5432/db or a jdbc: URL [env DATABASE_URL; default SQLite history.db in the data directory]")
  String database;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:AUGUR_DATA_DIR:-./augur-data}",
      description = "data directory [env AUGUR_DATA_DIR; default ${DEFAULT-VALUE}]")
  Path dataDir;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:AUGUR_API_KEY}",
      description =
          "key required on outcome updates and admin routes [env AUGUR_API_KEY; default none]")
  String apiKey;

  @Option(
      names = "--default-model",
      paramLabel = "NAME",
      defaultValue = "${env:AUGUR_DEFAULT_MODEL}",
      description =
          "model of the compatibility routes [env AUGUR_DEFAULT_MODEL; default the only model, else the first by name]")
  String defaultModel;

  @Option(
      names = "--max-body-mb",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_MAX_BODY_MB:-16}",
      description = "largest request body in MiB [env AUGUR_MAX_BODY_MB; default ${DEFAULT-VALUE}]")
  int maxBodyMb;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_MAX_IN_FLIGHT:-256}",
      description =
          "predictions served at once before answering 503 [env AUGUR_MAX_IN_FLIGHT; default ${DEFAULT-VALUE}]")
  int maxInFlight;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      defaultValue = "${env:AUGUR_CORS_ORIGINS}",
      description =
          "origins allowed by CORS, comma-separated, or * [env AUGUR_CORS_ORIGINS; default none: CORS off]")
  List<String> corsOrigins;

  @Option(
      names = "--drain-seconds",
      paramLabel = "N",
      defaultValue = "${env:AUGUR_DRAIN_SECONDS:-20}",
      description =
          "how long shutdown waits for requests in flight [env AUGUR_DRAIN_SECONDS; default ${DEFAULT-VALUE}]")
  int drainSeconds;

  @Option(names = "--no-access-log", description = "do not log one line per request")
  boolean noAccessLog;

  /** Entry point. */
  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(models)) {
      System.err.println(
          "augur-server: the model folder "
              + models.toAbsolutePath()
              + " does not exist (--models or AUGUR_MODELS)");
      return 2;
    }
    if (maxBodyMb < 1 || maxBodyMb > 1024) {
      System.err.println("augur-server: --max-body-mb must be in 1..1024");
      return 2;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HistoryStore history;
    AugurServer server;
    try {
      history = openHistory(registry);
      Sources sources = Sources.read(models);
      Augur.Builder b =
          Augur.builder()
              .models(models)
              .predictorOptions(
                  PredictorOptions.builder()
                      .batchObserver(ServerMetrics.batchObserver(registry))
                      .build())
              .history(history)
              .sources(sources);
      if (defaultModel != null && !defaultModel.isBlank()) {
        b.defaultModel(defaultModel);
      }
      Augur augur = b.build();
      server =
          AugurServer.builder(augur)
              .host(host)
              .port(port)
              .apiKey(apiKey == null || apiKey.isBlank() ? null : apiKey)
              .maxBodyBytes(maxBodyMb * 1024L * 1024L)
              .maxInFlight(maxInFlight)
              .workerThreads(Math.max(64, maxInFlight + 64))
              .corsOrigins(corsOrigins == null ? List.of() : corsOrigins)
              .drain(Duration.ofSeconds(drainSeconds))
              .charts(XChartRenderer.create())
              .meterRegistry(registry)
              .accessLog(!noAccessLog)
              .ownsAugur(true)
              .build();
    } catch (AugurException | IllegalArgumentException e) {
      log.error("cannot start: {}", e.getMessage());
      return 1;
    }
    Thread hook = new Thread(server::close, "augur-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.start();
    server.awaitShutdown();
    return 0;
  }

  private HistoryStore openHistory(PrometheusMeterRegistry registry) throws Exception {
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
    return b.onCommit(AugurServer.historyMetrics(registry)).build();
  }

  /** The version for {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"augur-server " + Version.VALUE};
    }
  }
}
