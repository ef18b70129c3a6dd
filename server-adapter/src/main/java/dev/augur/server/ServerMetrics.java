package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.model.PredictorOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Micrometer meters of the server, exposed at {@code /metrics} in Prometheus format: requests and
 * latency by route and status, predictions by model and version, micro-batch sizes and queue time,
 * history write latency, in-flight predictions, JVM.
 */
final class ServerMetrics implements AutoCloseable {
  /** The route template of the exchange, set by the router, e.g. {@code /models/{m}/predict}. */
  static final AttachmentKey<String> ROUTE = AttachmentKey.create(String.class);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  final AtomicInteger inFlight = new AtomicInteger();

  ServerMetrics(PrometheusMeterRegistry registry, Augur augur) {
    this.registry = registry;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    Gauge.builder("augur.predictions.in_flight", inFlight, AtomicInteger::get)
        .description("predictions being served")
        .register(registry);
    Gauge.builder("augur.models.loaded", augur, a -> a.models().names().size()).register(registry);
    Gauge.builder(
            "augur.history.available",
            augur,
            a -> a.history().map(h -> h.isAvailable() ? 1.0 : 0.0).orElse(1.0))
        .register(registry);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Records one finished request. */
  void request(HttpServerExchange ex, long startNanos) {
    String route = ex.getAttachment(ROUTE);
    Timer.builder("http.server.requests")
        .tag("method", ex.getRequestMethod().toString())
        .tag("route", route == null ? "unmatched" : route)
        .tag("status", Integer.toString(ex.getStatusCode()))
        .publishPercentileHistogram(false)
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Counts predictions of a model version. */
  void predicted(String model, String version, int n) {
    Counter.builder("augur.predictions")
        .tag("model", model)
        .tag("version", version)
        .register(registry)
        .increment(n);
  }

  /**
   * Micro-batch sizes and queue time by model, for {@link PredictorOptions.Builder#batchObserver}.
   */
  static PredictorOptions.BatchObserver batchObserver(MeterRegistry registry) {
    return (model, version, size, queueNanos) -> {
      DistributionSummary.builder("augur.batch.size")
          .tag("model", model)
          .tag("version", version)
          .register(registry)
          .record(size);
      Timer.builder("augur.batch.queue")
          .tag("model", model)
          .tag("version", version)
          .register(registry)
          .record(Duration.ofNanos(queueNanos));
    };
  }

  /** History group commits: size and latency, for the history store's commit listener. */
  static BiConsumer<Integer, Long> commitObserver(MeterRegistry registry) {
    DistributionSummary size =
        DistributionSummary.builder("augur.history.group.size").register(registry);
    Timer latency = Timer.builder("augur.history.write").register(registry);
    return (n, nanos) -> {
      size.record(n);
      latency.record(nanos, TimeUnit.NANOSECONDS);
    };
  }

  @Override
  public void close() {
    gc.close();
  }
}
