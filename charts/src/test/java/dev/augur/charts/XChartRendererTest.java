package dev.augur.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.ChartRenderer;
import dev.augur.core.ImageFormat;
import dev.augur.core.chart.ChartSpec;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract on {@link XChartRenderer}, plus its headless and thread-safety promises. */
class XChartRendererTest extends ChartRendererContract {
  private static final ChartRenderer RENDERER = XChartRenderer.create();

  @Override
  protected ChartRenderer renderer() {
    return RENDERER;
  }

  @Test
  void runsHeadless() {
    RENDERER.render(ChartFixtures.probabilities(200, 200), ImageFormat.PNG);
    assertThat(GraphicsEnvironment.isHeadless()).isTrue();
  }

  @Test
  void rendersTheSameBytesFrom16ThreadsAsSequentially() throws Exception {
    Map<String, byte[]> sequential = new LinkedHashMap<>();
    Map<String, ChartSpec> specs = ChartFixtures.all(480, 300);
    for (Map.Entry<String, ChartSpec> e : specs.entrySet()) {
      for (ImageFormat format : List.of(ImageFormat.PNG, ImageFormat.SVG)) {
        sequential.put(e.getKey() + "." + format, RENDERER.render(e.getValue(), format));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Map<String, byte[]>>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        final int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  Map<String, byte[]> out = new LinkedHashMap<>();
                  List<String> kinds = new ArrayList<>(specs.keySet());
                  // each thread starts at a different kind so that different charts overlap
                  for (int i = 0; i < kinds.size(); i++) {
                    String kind = kinds.get((i + offset) % kinds.size());
                    for (ImageFormat format : List.of(ImageFormat.PNG, ImageFormat.SVG)) {
                      out.put(kind + "." + format, RENDERER.render(specs.get(kind), format));
                    }
                  }
                  return out;
                }));
      }
      start.countDown();
      for (Future<Map<String, byte[]>> f : futures) {
        Map<String, byte[]> concurrent = f.get(120, TimeUnit.SECONDS);
        for (Map.Entry<String, byte[]> e : sequential.entrySet()) {
          assertThat(Arrays.equals(concurrent.get(e.getKey()), e.getValue()))
              .as(e.getKey() + " rendered concurrently equals the sequential bytes")
              .isTrue();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
