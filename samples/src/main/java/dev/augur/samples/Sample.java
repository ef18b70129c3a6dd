package dev.augur.samples;

import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.ChartRenderer;
import dev.augur.core.HistoryStore;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.history.QualityReport;
import dev.augur.core.source.Sources;
import dev.augur.persistence.HistoryStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every sample program shares: where the models are ({@code samples/models}, or the first
 * argument), an embedded SQLite history under {@code target/samples/}, and writing a chart next to
 * it. Each sample's {@code main} is the part worth reading.
 */
final class Sample implements AutoCloseable {
  final Path models;
  final Path out;
  final HistoryStore history;
  final Augur augur;
  final ChartRenderer charts = XChartRenderer.create();

  private Sample(String name, String[] args) {
    this.models = Path.of(args.length > 0 ? args[0] : "samples/models");
    if (!Files.isDirectory(models)) {
      throw new IllegalArgumentException(
          models.toAbsolutePath()
              + " is not a folder; run from the repository root or pass the model folder");
    }
    this.out = Path.of("target", "samples", name);
    try {
      Files.createDirectories(out);
      Files.deleteIfExists(out.resolve("history.db"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.history = HistoryStores.sqlite(out.resolve("history.db"));
    this.augur =
        Augur.builder().models(models).history(history).sources(Sources.read(models)).build();
  }

  static Sample open(String name, String[] args) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("java.awt.headless", "true");
    return new Sample(name, args);
  }

  Path version(String model) {
    return augur.manifest(model).directory();
  }

  void printQuality(QualityReport q) {
    System.out.printf(
        "quality of %s: %d labelled, %d awaiting an outcome%n",
        q.model(), q.labelled(), q.unlabelled());
    for (Map.Entry<String, Object> m : q.metrics().entrySet()) {
      if (!(m.getValue() instanceof java.util.List<?>)) {
        System.out.printf(
            "  %-10s %s%n",
            m.getKey(), m.getValue() instanceof Double d ? String.format("%.4f", d) : m.getValue());
      }
    }
  }

  Path chart(String file, ChartSpec spec) {
    Path f = out.resolve(file);
    try {
      Files.write(
          f,
          charts.render(
              spec,
              ImageFormat.parse(file.substring(file.lastIndexOf('.') + 1))
                  .orElse(ImageFormat.PNG)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("chart written to " + f);
    return f;
  }

  @Override
  public void close() {
    augur.close();
  }
}
