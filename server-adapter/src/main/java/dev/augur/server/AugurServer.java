package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.ChartRenderer;
import dev.augur.core.model.PredictorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.XnioWorker;

/**
 * Augur over HTTP: the routes of the HTTP API on Undertow, translating requests to {@link Augur}
 * calls and back. No business logic lives here.
 *
 * <pre>{@code
 * try (Augur augur = Augur.builder().models(Path.of("models")).history(store).build();
 *     AugurServer server = AugurServer.builder(augur).port(8080).build().start()) {
 *   server.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully: it stops accepting requests, lets the ones in flight
 * finish (up to the drain time), stops Undertow, then closes the {@link Augur} when the server owns
 * it, which flushes and closes the history.
 */
public final class AugurServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AugurServer.class);

  private final Augur augur;
  private final Settings settings;
  private final ServerMetrics metrics;
  private final Routes routes;
  private final BodyReader bodies;
  private final ByteBudget answers;
  private final AccessLog accessLog;
  private final Admission admission;
  private final Undertow undertow;
  private final Optional<ProbeListener> probes;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Object stopped = new Object();
  private volatile boolean started;

  /** The port bound at start, read once: a stop racing the start (SIGTERM) cannot unbind it. */
  private volatile int boundPort = -1;

  private volatile boolean down;
  private final boolean announce;

  /** What the server is configured with; package-private for the route classes. */
  record Settings(
      String host,
      int port,
      OptionalInt probePort,
      Optional<String> apiKey,
      long maxBodyBytes,
      long bodiesInFlight,
      long answersInFlight,
      Duration bodyTimeout,
      long extraFieldBytes,
      int maxInFlight,
      int workerThreads,
      Duration readTimeout,
      Duration idleTimeout,
      Duration drain,
      List<String> corsOrigins,
      Optional<ChartRenderer> charts,
      boolean ownsAugur,
      AccessLogFormat accessLog) {}

  private AugurServer(Builder b) {
    this.augur = b.augur;
    this.announce = b.announce;
    this.settings =
        new Settings(
            b.host,
            b.port,
            b.probePort,
            b.apiKey,
            b.maxBodyBytes,
            b.bodiesInFlight,
            b.answersInFlight,
            b.bodyTimeout,
            b.extraFieldBytes,
            b.maxInFlight,
            b.workerThreads,
            b.readTimeout,
            b.idleTimeout,
            b.drain,
            b.corsOrigins,
            b.charts,
            b.ownsAugur,
            b.accessLog);
    this.metrics = new ServerMetrics(b.registry, augur, b.driftMetricsEvery);
    this.accessLog = new AccessLog(b.accessLog, b.accessLogOutput);
    this.routes = new Routes(augur, settings, metrics, this::isReady);
    this.admission = new Admission(settings.workerThreads());
    ApiKey key = new ApiKey(settings.apiKey());
    // never more requests for the workers than there are workers: beyond, 503 on the I/O thread
    HttpHandler blocking = admission.toWorkers(RequestContext.mdc(routes.handler()));
    this.answers = new ByteBudget(settings.answersInFlight());
    this.bodies =
        new BodyReader(settings.maxBodyBytes(), settings.bodiesInFlight(), settings.bodyTimeout());
    HttpHandler root =
        ex -> {
          ex.putAttachment(ByteBudget.ANSWERS, answers);
          // liveness never waits for a worker thread
          if (routes.answersOnIoThread(ex)) {
            routes.handler().handleRequest(ex);
          } else if (BodyReader.hasBody(ex) && !key.accepts(ex)) {
            // without the key the body is never read: the route answers 401/403 before it looks
            // at it, and the connection is closed rather than drained
            ex.setPersistent(false);
            blocking.handleRequest(ex);
          } else if (BodyReader.hasBody(ex)) {
            // the body arrives on the I/O thread; a worker is taken only once it is all here
            bodies.read(ex, blocking);
          } else {
            blocking.handleRequest(ex);
          }
        };
    this.undertow =
        Undertow.builder()
            .addHttpListener(settings.port(), settings.host())
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(settings.workerThreads())
            .setServerOption(
                UndertowOptions.MAX_ENTITY_SIZE, settings.maxBodyBytes() + Http.DRAIN_LIMIT + 1)
            .setServerOption(
                UndertowOptions.NO_REQUEST_TIMEOUT, (int) settings.idleTimeout().toMillis())
            .setServerOption(
                UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.readTimeout().toMillis())
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
            .setServerOption(UndertowOptions.MAX_PARAMETERS, 1000)
            .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
            .setSocketOption(Options.READ_TIMEOUT, (int) settings.readTimeout().toMillis())
            .setSocketOption(Options.WRITE_TIMEOUT, (int) settings.readTimeout().toMillis())
            .setHandler(
                RequestContext.attach(
                    admission.outer(new Edge(root, settings, metrics, accessLog))))
            .build();
    this.probes =
        settings.probePort().isPresent()
            ? Optional.of(
                new ProbeListener(
                    settings.host(),
                    settings.probePort().getAsInt(),
                    settings.readTimeout(),
                    routes))
            : Optional.empty();
  }

  /** A builder serving {@code augur}. */
  public static Builder builder(Augur augur) {
    return new Builder(augur);
  }

  /** Starts listening; answers once the port is bound. */
  public AugurServer start() {
    probes.ifPresent(ProbeListener::start);
    try {
      undertow.start();
    } catch (RuntimeException e) {
      probes.ifPresent(ProbeListener::stop);
      throw e;
    }
    boundPort = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    started = true;
    if (!announce) {
      log.debug("scratch server listening at {}", url());
    } else if (isReady()) {
      log.info("Augur ready at {} with models {}{}", url(), augur.models().names(), probesAt());
    } else {
      // started before its database: live, and ready once the history store opens
      log.warn(
          "Augur listening at {} with models {}{}; not ready until the history database answers",
          url(),
          augur.models().names(),
          probesAt());
    }
    return this;
  }

  private String probesAt() {
    return probes.isEmpty() ? "" : " (health probes also on port " + probes.get().port() + ")";
  }

  /** The server's meters (tests). */
  ServerMetrics metricsForTests() {
    return metrics;
  }

  /**
   * The bound port (useful with port 0); still answers once the server has stopped.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    int port = boundPort;
    if (port < 0) {
      throw new IllegalStateException("the server has not started");
    }
    return port;
  }

  /**
   * The bound port of the probe listener ({@link Builder#probePort}), empty when there is none.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public OptionalInt probePort() {
    port(); // started?
    return probes.isEmpty() ? OptionalInt.empty() : OptionalInt.of(probes.get().port());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    String host = settings.host().equals("0.0.0.0") ? "localhost" : settings.host();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  /** Ready: started, not stopping, and the history store (when there is one) reachable. */
  public boolean isReady() {
    return started && !stopping.get() && augur.history().map(h -> h.isAvailable()).orElse(true);
  }

  /** Every route as {@code METHOD /template} (for tests). */
  java.util.Set<String> routes() {
    return routes.routes();
  }

  /** Bytes of answers held for clients still reading them (for tests). */
  long answerBytesHeld() {
    return answers.held();
  }

  /** Bytes of request bodies held right now (for tests). */
  long bodyBytesInFlight() {
    return bodies.bytesInFlight();
  }

  /** The Prometheus registry the server reports to. */
  public PrometheusMeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /**
   * Reports micro-batch sizes and queue time by model to a registry (the server's {@code /metrics}
   * when it is {@link #meterRegistry()} or the one given to {@link Builder#meterRegistry}): pass it
   * to {@code PredictorOptions.builder().batchObserver(…)} when building the {@link Augur}.
   */
  public static PredictorOptions.BatchObserver batchMetrics(MeterRegistry registry) {
    return ServerMetrics.batchObserver(registry);
  }

  /**
   * Reports history group commits (size and latency) to a registry: pass it to {@code
   * HistoryStores.builder(…).onCommit(…)}.
   */
  public static BiConsumer<Integer, Long> historyMetrics(MeterRegistry registry) {
    return ServerMetrics.commitObserver(registry);
  }

  /** Blocks until {@link #close()} has finished (from another thread or a shutdown hook). */
  public void awaitShutdown() throws InterruptedException {
    synchronized (stopped) {
      while (!down) {
        stopped.wait();
      }
    }
  }

  /**
   * Graceful shutdown: stop accepting, finish in-flight requests (up to the drain time), stop
   * Undertow, close the {@link Augur} if owned (flushing the history). Idempotent.
   */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    if (announce) {
      log.info(
          "shutting down: draining requests in flight (up to {} s)", settings.drain().toSeconds());
    }
    admission.shutdown();
    try {
      if (!admission.awaitDrained(settings.drain().toMillis())) {
        log.warn(
            "requests still in flight after {} s; stopping anyway", settings.drain().toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop(undertow);
    // the probes answer until the API has stopped: not ready (stopping) but live while it drains
    probes.ifPresent(ProbeListener::stop);
    accessLog.close();
    if (settings.ownsAugur()) {
      augur.close();
    }
    metrics.close();
    if (announce) {
      log.info("stopped");
    }
    synchronized (stopped) {
      down = true;
      stopped.notifyAll();
    }
  }

  /**
   * Stops an Undertow server without a bare 400. Stopped at once, a keep-alive connection whose
   * request arrives while its I/O thread terminates is refused by Undertow's parser with "400,
   * Connection: close" (the read timeout cannot be scheduled on a terminating thread). So first no
   * more accepts and every connection closed, twice around a pass of every I/O thread (an accept in
   * progress at the first close is done by the second), and only then the threads stopped.
   */
  static void stop(Undertow server) {
    List<Undertow.ListenerInfo> listeners;
    try {
      listeners = server.getListenerInfo();
    } catch (IllegalStateException notStarted) {
      listeners = List.of(); // a stop racing the start: nothing is listening yet
    }
    if (!listeners.isEmpty()) {
      listeners.forEach(Undertow.ListenerInfo::suspend); // no accepts; closes the connections
      awaitIoThreads(server.getWorker());
      listeners.forEach(Undertow.ListenerInfo::suspend); // closes those accepted meanwhile
      awaitIoThreads(server.getWorker());
    }
    server.stop();
  }

  /** Returns once every I/O thread has run what was queued on it before this call. */
  private static void awaitIoThreads(XnioWorker worker) {
    if (worker == null) {
      return;
    }
    int threads = worker.getIoThreadCount();
    CountDownLatch passed = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      worker.getIoThread(i).execute(passed::countDown);
    }
    try {
      if (!passed.await(5, TimeUnit.SECONDS)) {
        log.debug("an I/O thread did not answer within 5 s; stopping anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds an {@link AugurServer}. Not thread-safe. */
  public static final class Builder {
    private final Augur augur;
    private String host = "127.0.0.1";
    private int port = 8080;
    private OptionalInt probePort = OptionalInt.empty();
    private Optional<String> apiKey = Optional.empty();
    private long maxBodyBytes = 16L * 1024 * 1024;
    private long bodiesInFlight = 64L * 1024 * 1024;
    private long answersInFlight = 64L * 1024 * 1024;
    private Duration bodyTimeout = Duration.ofSeconds(30);
    private long extraFieldBytes = 64L * 1024;
    private int maxInFlight = 256;
    private int workerThreads = 320;
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration drain = Duration.ofSeconds(20);
    private List<String> corsOrigins = List.of();
    private Optional<ChartRenderer> charts = Optional.empty();
    private PrometheusMeterRegistry registry;
    private Duration driftMetricsEvery = Duration.ofMinutes(1);
    private boolean ownsAugur;
    private AccessLogFormat accessLog = AccessLogFormat.TEXT;
    private OutputStream accessLogOutput = System.out;
    private boolean announce = true;

    private Builder(Augur augur) {
      this.augur = Objects.requireNonNull(augur, "augur");
    }

    /** The interface to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port (default 8080; 0 for any free port). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Also answers the health probes ({@code /health/live}, {@code /health/ready}, {@code
     * /v2/health/live}, {@code /v2/health/ready}, {@code /ping}) on this port, on the same
     * interface, with an I/O thread and workers of their own: a liveness probe sent here is
     * answered in milliseconds while the main port is flooded, where on the main port it waits
     * behind the busy connections. Nothing else is served there and no key is asked. Default: no
     * probe port (the probes are on the main port either way); 0 for any free port.
     */
    public Builder probePort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("probe port must be in 0..65535, not " + port);
      }
      this.probePort = OptionalInt.of(port);
      return this;
    }

    /**
     * Requires this key ({@code Authorization: Bearer …} or {@code X-API-Key}) on every route but
     * the health probes, the page and its files, {@code /docs} and {@code /openapi.json}: 401 when
     * missing, 403 when wrong.
     */
    public Builder apiKey(String key) {
      if (key != null && key.isBlank()) {
        throw new IllegalArgumentException("the API key must not be blank");
      }
      this.apiKey = Optional.ofNullable(key);
      return this;
    }

    /** The largest accepted body (default 16 MiB); larger ones get 413. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("the body limit must be at least 1 KiB");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The bytes of request bodies held at once, over every request being read or served (default 64
     * MiB); a body that would go over gets 503 + Retry-After.
     */
    public Builder bodiesInFlight(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("the bytes of bodies in flight must be at least 1 KiB");
      }
      this.bodiesInFlight = bytes;
      return this;
    }

    /**
     * The bytes of answers held at once for clients still reading them, over every request (default
     * 64 MiB). Answers are written as their clients read them, from the I/O threads, so a slow
     * reader holds no worker thread; an answer over 64 KiB that would go over this gets 503 +
     * Retry-After instead, and a smaller one is written by its worker.
     */
    public Builder answersInFlight(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("the bytes of answers in flight must be at least 1 KiB");
      }
      this.answersInFlight = bytes;
      return this;
    }

    /** How long a request body may take to arrive in full (default 30 s); a slower one gets 408. */
    public Builder bodyTimeout(Duration d) {
      Objects.requireNonNull(d, "bodyTimeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("the body timeout must be positive");
      }
      this.bodyTimeout = d;
      return this;
    }

    /**
     * How much JSON the fields an observation carries beyond the model's schema may take, in all
     * (default 64 KiB; 0 refuses any); beyond it, 422 naming the largest.
     */
    public Builder extraFieldBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("the extra field bytes must not be negative");
      }
      this.extraFieldBytes = bytes;
      return this;
    }

    /**
     * How many predictions may be in flight at once (default 256); beyond it, 503 + Retry-After.
     */
    public Builder maxInFlight(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1");
      }
      this.maxInFlight = n;
      return this;
    }

    /** Worker threads for blocking work (default 320; keep it above {@link #maxInFlight}). */
    public Builder workerThreads(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("workerThreads must be at least 2");
      }
      this.workerThreads = n;
      return this;
    }

    /** How long a client may take to send a request or a body chunk (default 30 s). */
    public Builder readTimeout(Duration d) {
      this.readTimeout = Objects.requireNonNull(d, "readTimeout");
      return this;
    }

    /** How long an idle keep-alive connection stays open (default 60 s). */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = Objects.requireNonNull(d, "idleTimeout");
      return this;
    }

    /** How long shutdown waits for requests in flight (default 20 s). */
    public Builder drain(Duration d) {
      this.drain = Objects.requireNonNull(d, "drain");
      return this;
    }

    /** Origins allowed by CORS ({@code *} for any); none by default (CORS off). */
    public Builder corsOrigins(List<String> origins) {
      this.corsOrigins = List.copyOf(origins);
      return this;
    }

    /** The chart renderer for chart routes and {@code POST /plot}; without it they answer 404. */
    public Builder charts(ChartRenderer charts) {
      this.charts = Optional.of(Objects.requireNonNull(charts, "charts"));
      return this;
    }

    /** The Prometheus registry to report to (default a new one). */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** How old the drift gauges may get before a scrape refreshes them (a minute; tests less). */
    Builder driftMetricsEvery(Duration every) {
      this.driftMetricsEvery = Objects.requireNonNull(every, "every");
      return this;
    }

    /** Whether {@link AugurServer#close()} also closes the {@link Augur} (default false). */
    public Builder ownsAugur(boolean owns) {
      this.ownsAugur = owns;
      return this;
    }

    /** Writes one line per request in the text format (default), or none. */
    public Builder accessLog(boolean on) {
      return accessLog(on ? AccessLogFormat.TEXT : AccessLogFormat.OFF);
    }

    /**
     * The access log's format (default {@link AccessLogFormat#TEXT}). Lines are written by their
     * own thread, never by the request; when it falls behind by 65,536 lines, lines are dropped
     * (and counted in a warning) rather than delaying requests.
     */
    public Builder accessLog(AccessLogFormat format) {
      this.accessLog = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Off for a scratch server (the warm-up's): its start is not logged as the server's. */
    Builder announce(boolean announce) {
      this.announce = announce;
      return this;
    }

    /** Where the access log goes (default {@code System.out}); not closed by the server. */
    public Builder accessLogOutput(OutputStream out) {
      this.accessLogOutput = Objects.requireNonNull(out, "out");
      return this;
    }

    public AugurServer build() {
      if (probePort.isPresent() && probePort.getAsInt() != 0 && probePort.getAsInt() == port) {
        throw new IllegalArgumentException(
            "the probe port must differ from the port (both " + port + ")");
      }
      if (registry == null) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      }
      return new AugurServer(this);
    }
  }
}
