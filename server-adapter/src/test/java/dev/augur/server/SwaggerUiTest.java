package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI at {@code /docs} in a real headless Chromium, on a server with an API key: "Try it
 * out" on {@code POST /models/{m}/predict} is refused without the key and answers the prediction
 * once "Authorize" has it, as {@code X-API-Key} or as a bearer token. Screenshots go to {@code
 * target/screenshots}.
 */
class SwaggerUiTest {
  static final String KEY = "swagger-s3cret";
  static final String PREDICT = "/models/{m}/predict";
  static final String OBSERVATION = "{\"observation\": " + ServerApiTest.PASSENGER + "}";

  @TempDir static Path dir;
  static Running s;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    HeadlessChromium.require();
    s = Running.start(dir, b -> b.apiKey(KEY));
    browser = HeadlessChromium.start(1280, 1600);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
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

  @Test
  void tryItOutOnPredictIsRefusedWithoutTheKeyAndAnswersWithIt() throws IOException {
    browser.get(s.uri("/docs").toString());
    WebElement op =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.xpath(
                    "//div[contains(@class,'opblock-post')][.//*[@data-path='" + PREDICT + "']]")));
    op.findElement(By.cssSelector(".opblock-summary-control")).click();
    click(op, By.cssSelector("button.try-out__btn"));
    WebElement model =
        wait.until(d -> op.findElement(By.cssSelector("tr[data-param-name='m'] input")));
    model.sendKeys(ServerApiTest.TITANIC);
    WebElement body = op.findElement(By.cssSelector("textarea.body-param__text"));
    body.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    body.sendKeys(OBSERVATION);

    assertThat(execute(op)).as("without the key").isEqualTo("401");
    assertThat(responseBody(op)).contains("needs the API key");
    shot("swagger-without-key");

    authorize("apiKey", KEY);
    assertThat(execute(op)).as("with X-API-Key").isEqualTo("200");
    assertThat(responseBody(op)).contains("\"label\"").contains("\"probabilities\"");
    assertThat(curl(op)).contains("X-API-Key: " + KEY);
    shot("swagger-with-key");

    logout("apiKey");
    authorize("bearer", KEY);
    assertThat(execute(op)).as("with a bearer token").isEqualTo("200");
    assertThat(curl(op)).contains("Authorization: Bearer " + KEY);

    logout("bearer");
    authorize("apiKey", "not-" + KEY);
    assertThat(execute(op)).as("with a wrong key").isEqualTo("403");

    List<LogEntry> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            // the browser logs the refusals this test provokes on purpose
            .filter(e -> !e.getMessage().matches(".*status of 40[13] .*"))
            .toList();
    assertThat(severe).as("console errors").isEmpty();
  }

  /** Runs the operation and answers the status Swagger UI shows. */
  private static String execute(WebElement op) {
    List<WebElement> clear = op.findElements(By.cssSelector("button.btn-clear"));
    if (!clear.isEmpty()) {
      clear.get(0).click();
      wait.until(d -> op.findElements(By.cssSelector(".live-responses-table")).isEmpty());
    }
    click(op, By.cssSelector("button.execute"));
    return wait.until(
        d -> {
          List<WebElement> status =
              op.findElements(
                  By.cssSelector(".live-responses-table tr.response .response-col_status"));
          String text = status.isEmpty() ? "" : status.get(0).getText().trim();
          return text.matches("\\d{3}.*") ? text.substring(0, 3) : null;
        });
  }

  private static String responseBody(WebElement op) {
    return op.findElement(
            By.cssSelector(".live-responses-table tr.response .response-col_description"))
        .getText();
  }

  private static String curl(WebElement op) {
    return op.findElement(By.cssSelector(".curl-command")).getText();
  }

  /** Gives the key to one security scheme through the "Authorize" dialog. */
  private static void authorize(String scheme, String key) {
    WebElement container = openDialog(scheme);
    container.findElement(By.cssSelector("input")).sendKeys(key);
    click(container, By.cssSelector("button.authorize"));
    wait.until(d -> !container.findElements(By.xpath(".//button[text()='Logout']")).isEmpty());
    closeDialog();
  }

  private static void logout(String scheme) {
    WebElement container = openDialog(scheme);
    click(container, By.xpath(".//button[text()='Logout']"));
    wait.until(d -> !container.findElements(By.cssSelector("input")).isEmpty());
    closeDialog();
  }

  private static WebElement openDialog(String scheme) {
    browser.findElement(By.cssSelector(".scheme-container button.authorize")).click();
    return wait.until(
        d ->
            d.findElement(
                By.xpath(
                    "//div[contains(@class,'auth-container')][.//h4[contains(.,'"
                        + scheme
                        + "')]]")));
  }

  private static void closeDialog() {
    browser.findElement(By.cssSelector(".modal-ux button.close-modal")).click();
    wait.until(d -> d.findElements(By.cssSelector(".modal-ux")).isEmpty());
  }

  private static void click(WebElement scope, By by) {
    wait.until(d -> scope.findElement(by).isDisplayed() && scope.findElement(by).isEnabled());
    scope.findElement(by).click();
  }

  private static void shot(String name) throws IOException {
    HeadlessChromium.screenshot(browser, name);
  }
}
