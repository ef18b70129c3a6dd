package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page against a server with an API key, in a real headless Chromium: it asks for the key once,
 * asks again when the key is wrong, and keeps it for the tab (reloads do not ask again).
 */
class WebPageKeyTest {
  static final String KEY = "page-s3cret";

  @TempDir static Path dir;
  static Running s;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() {
    HeadlessChromium.require();
    s = Running.start(dir, b -> b.apiKey(KEY));
    browser = HeadlessChromium.start(1280, 1000);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (s != null) {
      s.close();
    }
  }

  private static void enterKey(String key) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input")));
    browser.findElement(By.id("key-input")).sendKeys(key);
    browser.findElement(By.id("key-submit")).click();
  }

  private static Object script(String js) {
    return ((JavascriptExecutor) browser).executeScript(js);
  }

  @Test
  void asksForTheKeyOnceAndKeepsItForTheTab() {
    browser.get(s.uri("/").toString());
    // the page itself is open; its first API call is refused, so it asks
    enterKey("wrong-key");
    wait.until(d -> d.findElement(By.id("key-error")).isDisplayed());
    assertThat(browser.findElement(By.id("key-error")).getText()).contains("refused");
    enterKey(KEY);
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#predict-fields .field")));
    assertThat(browser.findElement(By.id("key-dialog")).isDisplayed()).isFalse();
    assertThat(script("return sessionStorage.getItem('augur-api-key')")).isEqualTo(KEY);

    // predicting, history and an outcome all carry the key
    new Select(browser.findElement(By.id("predict-model"))).selectByValue("tab_binary_softmax");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("f-Sex")));
    browser.findElement(By.id("predict-submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("predict-label")));
    assertThat(browser.findElement(By.id("predict-label")).getText()).isIn("died", "survived");

    // a reload in the same tab does not ask again
    browser.navigate().refresh();
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#predict-fields .field")));
    assertThat(browser.findElement(By.id("key-dialog")).isDisplayed()).isFalse();
    browser.findElement(By.id("tab-history")).click();
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#history-table tbody tr")));
    assertThat(browser.findElement(By.id("history-error")).isDisplayed()).isFalse();
  }
}
