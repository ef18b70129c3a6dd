package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large answers leave no native memory behind. The JDK writes a heap buffer to a socket through a
 * temporary direct buffer of its size and, unless told otherwise, keeps that buffer in the writing
 * thread's cache for the thread's life: every worker thread that once sent a page of 10,000
 * predictions held megabytes outside the heap for ever (the 1,000,000-request soak's RSS grew by
 * 220 MB of such buffers, NMT's "Other"). The server writes large answers in slices ({@link
 * Http#SLICE}), so this holds without the bound on the cache the standalone server also sets: the
 * child JVM here runs with the JDK's own unbounded cache, as an application embedding AugurServer
 * does unless it passes {@code -Djdk.nio.maxCachedBufferSize}.
 */
class LargeAnswersTest {
  private static final Pattern DIRECT =
      Pattern.compile("(?m)^jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*} (\\S+)$");

  @TempDir Path dir;

  @Test
  void pagesOfTenThousandPredictionsLeaveNoDirectMemoryCachedInTheWorkerThreads() throws Exception {
    Path models = Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_softmax");
    try (ChildServer s =
        ChildServer.withSmallHeap(
            dir,
            "512m",
            models,
            "tab_binary_softmax",
            "-Djdk.nio.maxCachedBufferSize=" + Integer.MAX_VALUE)) {
      String instances =
          IntStream.range(0, 5_000)
              .mapToObj(i -> ServerApiTest.PASSENGER)
              .collect(Collectors.joining(",", "{\"instances\": [", "]}"));
      for (int batch = 0; batch < 2; batch++) {
        HttpResponse<String> r = s.post("/models/tab_binary_softmax/predict", instances);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      long before = direct(s);

      // 4 clients at once, each reading the page of 10,000 predictions (megabytes) 3 times
      URI page = s.uri("/models/tab_binary_softmax/predictions?n=10000");
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        clients.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = get(page);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body().length()).as("a page of megabytes").isGreaterThan(1 << 20);
                  }
                }));
      }
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();

      long grown = direct(s) - before;
      System.out.println(
          "LargeAnswersTest: direct memory kept after the pages: " + grown + " bytes");
      assertThat(grown)
          .as("direct memory kept after the large answers (bytes)")
          .isLessThan(4L << 20);
    }
  }

  private long direct(ChildServer s) {
    String metrics = get(s.uri("/metrics")).body();
    Matcher m = DIRECT.matcher(metrics);
    assertThat(m.find()).as("jvm_buffer_memory_used_bytes{id=\"direct\"} in /metrics").isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private HttpResponse<String> get(URI uri) {
    try {
      return ChildServer.HTTP.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
