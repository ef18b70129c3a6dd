package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.ShadowStats;
import dev.augur.core.model.PredictorOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Micrometer meters of the server, exposed at {@code /metrics} in Prometheus format: requests and
 * latency by route and status, predictions and prediction errors by model, the engine's forward
 * pass, micro-batch sizes and queue time, history write latency, in-flight predictions, JVM. The
 * latencies are histograms with fixed buckets, so that quantiles aggregate across replicas; every
 * tag takes a bounded set of values. docs/observability.md lists every series.
 */
final class ServerMetrics implements AutoCloseable {
  /** The route template of the exchange, set by the router, e.g. {@code /models/{m}/predict}. */
  static final AttachmentKey<String> ROUTE = AttachmentKey.create(String.class);

  /** The methods the {@code method} tag names; any other is {@code OTHER}. */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  /** Buckets of request latency: 1 ms to 10 s. */
  static final Duration[] HTTP_BUCKETS =
      millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);

  /** Buckets of the engine's forward pass: 0.1 ms to 1 s. */
  static final Duration[] INFERENCE_BUCKETS =
      millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000);

  /** Buckets of micro-batch queueing: 50 µs to 100 ms. */
  static final Duration[] QUEUE_BUCKETS = millis(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100);

  /** Buckets of history group commits: 0.5 ms to 5 s. */
  static final Duration[] WRITE_BUCKETS =
      millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 5000);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  final AtomicInteger inFlight = new AtomicInteger();
  final DriftGauges drift;

  ServerMetrics(PrometheusMeterRegistry registry, Augur augur) {
    this(registry, augur, Duration.ofMinutes(1));
  }

  /** With the drift gauges refreshed at most once per {@code driftEvery} (a minute; tests less). */
  ServerMetrics(PrometheusMeterRegistry registry, Augur augur, Duration driftEvery) {
    this.registry = registry;
    this.drift = new DriftGauges(augur, registry, driftEvery, System::nanoTime);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    // promtool rejects these two names (a "_count" gauge, a unit abbreviated to "ns"); the CPU
    // usage gauges that stay say the same in the units Prometheus expects
    for (String name : List.of("system.cpu.count", "process.cpu.time")) {
      registry.find(name).meters().forEach(registry::remove);
    }
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    Gauge.builder("augur.predictions.in_flight", inFlight, AtomicInteger::get)
        .description("predictions being served")
        .register(registry);
    Gauge.builder("augur.models.loaded", augur, a -> a.models().names().size())
        .description("models loaded")
        .register(registry);
    Gauge.builder(
            "augur.history.available",
            augur,
            a -> a.history().map(h -> h.isAvailable() ? 1.0 : 0.0).orElse(1.0))
        .description("1 when the history store is reachable, else 0")
        .register(registry);
    for (String model : augur.models().names()) {
      augur
          .shadow(model)
          .ifPresent(
              v -> {
                shadowCounter(registry, augur, model, v, "recorded", s -> s.recorded());
                shadowCounter(registry, augur, model, v, "dropped", s -> s.dropped());
                shadowCounter(registry, augur, model, v, "failed", s -> s.failed());
                shadowCounter(registry, augur, model, v, "skipped", s -> s.skipped());
              });
    }
  }

  private static void shadowCounter(
      MeterRegistry registry,
      Augur augur,
      String model,
      String version,
      String result,
      java.util.function.ToLongFunction<ShadowStats> count) {
    FunctionCounter.builder(
            "augur.shadow.predictions", augur, a -> count.applyAsLong(a.shadowStats(model)))
        .description(
            "shadow predictions by model, shadow version and result (recorded; dropped: the"
                + " shadow could not keep up; failed; skipped: the shadow yielded the CPU to"
                + " answers in flight)")
        .tag("model", model)
        .tag("version", version)
        .tag("result", result)
        .register(registry);
  }

  /** The Prometheus text of every meter; starts a drift refresh when the last is a minute old. */
  String scrape() {
    drift.maybeRefresh();
    return registry.scrape();
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  private static Duration[] millis(double... ms) {
    Duration[] out = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      out[i] = Duration.ofNanos((long) (ms[i] * 1_000_000));
    }
    return out;
  }

  /** Records one finished request. */
  void request(HttpServerExchange ex, long startNanos) {
    String route = ex.getAttachment(ROUTE);
    Timer.builder("http.server.requests")
        .description("HTTP requests by method, route template and status")
        .tag("method", method(ex.getRequestMethod().toString()))
        .tag("route", route == null ? "unmatched" : route)
        .tag("status", Integer.toString(ex.getStatusCode()))
        .serviceLevelObjectives(HTTP_BUCKETS)
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** The method as a tag value: one of a fixed set, so a client cannot mint new series. */
  static String method(String m) {
    return METHODS.contains(m) ? m : "OTHER";
  }

  /**
   * Counts a prediction request that failed, by model and by the title of its answer in snake case
   * ({@code invalid_input}, {@code overloaded}, {@code history_unavailable}, …).
   */
  void predictionError(String model, String reason) {
    Counter.builder("augur.prediction.errors")
        .description("prediction requests that failed, by model and reason")
        .tag("model", model)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Counts predictions of a model version. */
  void predicted(String model, String version, int n) {
    Counter.builder("augur.predictions")
        .description("predictions answered, by model and version")
        .tag("model", model)
        .tag("version", version)
        .register(registry)
        .increment(n);
  }

  /**
   * Micro-batch sizes and queue time by model, for {@link PredictorOptions.Builder#batchObserver}.
   */
  static PredictorOptions.BatchObserver batchObserver(MeterRegistry registry) {
    return new PredictorOptions.BatchObserver() {
      @Override
      public void onBatch(String model, String version, int size, long queueNanos) {
        DistributionSummary.builder("augur.batch.size")
            .description("observations per forward pass")
            .tag("model", model)
            .tag("version", version)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(registry)
            .record(size);
        Timer.builder("augur.batch.queue")
            .description("how long the oldest observation of a forward pass waited to be batched")
            .tag("model", model)
            .tag("version", version)
            .serviceLevelObjectives(QUEUE_BUCKETS)
            .register(registry)
            .record(queueNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void onInference(String model, String version, int size, long nanos) {
        Timer.builder("augur.inference")
            .description("the engine's forward pass alone, without encoding, queueing or decoding")
            .tag("model", model)
            .tag("version", version)
            .serviceLevelObjectives(INFERENCE_BUCKETS)
            .register(registry)
            .record(nanos, TimeUnit.NANOSECONDS);
      }
    };
  }

  /** History group commits: size and latency, for the history store's commit listener. */
  static BiConsumer<Integer, Long> commitObserver(MeterRegistry registry) {
    DistributionSummary size =
        DistributionSummary.builder("augur.history.group.size")
            .description("records per history group commit")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
            .register(registry);
    Timer latency =
        Timer.builder("augur.history.write")
            .description("history group commits: the transaction that writes one group")
            .serviceLevelObjectives(WRITE_BUCKETS)
            .register(registry);
    return (n, nanos) -> {
      size.record(n);
      latency.record(nanos, TimeUnit.NANOSECONDS);
    };
  }

  @Override
  public void close() {
    drift.close();
    gc.close();
  }
}
