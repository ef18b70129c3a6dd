package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.Observation;
import dev.augur.core.model.ModelRegistry;
import dev.augur.persistence.HistoryStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's Monitoring tab in a real headless Chromium with a model of two versions (version 2
 * shadowing version 1): the versions side by side, each with its own quality and quality chart
 * ({@code charts/quality.png?version=V}). Its screenshot is docs/images/page-versions.png.
 */
class VersionsPageTest {
  @TempDir Path dir;

  @Test
  void showsTheVersionsSideBySideWithTheirOwnQualityAndChart() throws Exception {
    HeadlessChromium.require();
    String name = ShadowTest.twoVersions(dir.resolve("models"));
    Augur augur =
        Augur.builder()
            .models(ModelRegistry.builder(dir.resolve("models")).defaultVersion(name, "1"))
            .history(HistoryStores.sqlite(dir.resolve("history.db")))
            .shadow(name, "2")
            .build();
    List<Map<String, Object>> passengers = DriftTest.passengers().subList(0, 120);
    List<String> truth =
        Files.readAllLines(DriftTest.TITANIC.resolve("test.csv")).subList(1, 121).stream()
            .map(l -> l.substring(l.lastIndexOf(',') + 1))
            .toList();
    for (int i = 0; i < passengers.size(); i++) {
      augur.predict(
          name, Optional.empty(), Optional.of("v-" + i), Observation.of(passengers.get(i)));
    }
    ShadowTest.await(() -> augur.shadowStats(name).recorded() == passengers.size());
    for (int i = 0; i < passengers.size(); i++) {
      augur.recordOutcome(name, "v-" + i, truth.get(i));
    }
    ChromeDriver browser = null;
    try (AugurServer server =
        AugurServer.builder(augur)
            .port(0)
            .charts(XChartRenderer.create())
            .ownsAugur(true)
            .accessLog(false)
            .build()
            .start()) {
      browser = HeadlessChromium.start(1280, 1300);
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      browser.get("http://127.0.0.1:" + server.port() + "/");
      wait.until(d -> !d.findElements(By.cssSelector("#predict-fields .field")).isEmpty());
      browser.findElement(By.id("tab-monitor")).click();
      ChromeDriver b = browser;
      wait.until(
          d ->
              !d.findElements(By.id("version-1")).isEmpty()
                  && !d.findElements(By.id("version-2")).isEmpty()
                  && loaded(b, "chart-quality-1")
                  && loaded(b, "chart-quality-2"));
      assertThat(browser.findElement(By.id("monitor-versions-card")).isDisplayed()).isTrue();
      assertThat(browser.findElement(By.id("version-1")).getText())
          .contains("Version 1 (default)")
          .contains("120");
      assertThat(browser.findElement(By.id("version-2")).getText()).contains("Version 2");
      // each version's own Brier score: two different models, two different numbers
      String brier1 = browser.findElement(By.id("version-1-brier")).getText();
      String brier2 = browser.findElement(By.id("version-2-brier")).getText();
      assertThat(brier1).isNotEqualTo("—").isNotEqualTo(brier2);
      // side by side: the second column starts at the first one's height, to its right
      var p1 = browser.findElement(By.id("version-1")).getLocation();
      var p2 = browser.findElement(By.id("version-2")).getLocation();
      assertThat(p2.getY()).isEqualTo(p1.getY());
      assertThat(p2.getX()).isGreaterThan(p1.getX());
      // the charts are each version's own
      DriftTest.Client c = new DriftTest.Client(server.port());
      String chart = "/models/" + name + "/charts/quality.png?metric=brier&version=";
      DriftTest.Reply one = c.get(chart + "1");
      DriftTest.Reply two = c.get(chart + "2");
      assertThat(one.status()).isEqualTo(200);
      assertThat(two.status()).isEqualTo(200);
      assertThat(one.bytes()).isNotEqualTo(two.bytes());
      ((JavascriptExecutor) browser)
          .executeScript("document.getElementById('monitor-versions-card').scrollIntoView()");
      HeadlessChromium.screenshot(browser, "page-versions");
    } finally {
      if (browser != null) {
        browser.quit();
      }
    }
  }

  private static boolean loaded(ChromeDriver browser, String id) {
    return Boolean.TRUE.equals(
        ((JavascriptExecutor) browser)
            .executeScript(
                "const i = document.getElementById(arguments[0]);"
                    + " return !!i && i.complete && i.naturalWidth > 0;",
                id));
  }
}
