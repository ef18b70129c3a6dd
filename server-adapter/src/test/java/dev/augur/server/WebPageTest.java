package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium through chromedriver: predict from the generated form, draw
 * a digit, record an outcome and see history and quality change, forecast a stock. Screenshots go
 * to {@code target/screenshots}.
 */
class WebPageTest {
  @TempDir static Path dir;
  static Running s;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    HeadlessChromium.require();
    s = Running.start(dir, b -> {});
    browser = HeadlessChromium.start(1280, 1000);
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

  @AfterEach
  void noConsoleErrors() {
    List<LogEntry> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            // the browser logs every 4xx answer; a 422 the test provoked on purpose is not a page
            // error
            .filter(e -> !e.getMessage().contains("the server responded with a status of 422"))
            .toList();
    assertThat(severe).as("console errors").isEmpty();
  }

  static void open(String hash) {
    browser.get("about:blank");
    browser.get(s.uri("/" + hash).toString());
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#predict-fields .field")));
  }

  static void shot(String name) throws IOException {
    HeadlessChromium.screenshot(browser, name);
  }

  static boolean imageLoaded(String id) {
    return Boolean.TRUE.equals(
        ((JavascriptExecutor) browser)
            .executeScript(
                "const i = document.getElementById(arguments[0]); return !!i && i.complete && i.naturalWidth > 0;",
                id));
  }

  @Test
  void predictsFromTheGeneratedFormAndShowsTheProbabilities() throws IOException {
    open("");
    new Select(browser.findElement(By.id("predict-model"))).selectByValue("tab_binary_softmax");
    wait.until(
        d ->
            d.findElement(By.id("f-Age")).getDomProperty("value").equals("22.0")
                || d.findElement(By.id("f-Age")).getDomProperty("value").equals("22"));
    WebElement sex = browser.findElement(By.id("f-Sex"));
    assertThat(new Select(sex).getOptions())
        .extracting(WebElement::getText)
        .contains("male", "female");
    new Select(sex).selectByValue("female");
    browser.findElement(By.id("predict-submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("predict-label")));
    assertThat(browser.findElement(By.id("predict-label")).getText()).isIn("died", "survived");
    wait.until(d -> imageLoaded("predict-chart"));
    shot("predict");
  }

  @Test
  void opensOnTheServersDefaultModelEveryTime() {
    for (int visit = 0; visit < 2; visit++) {
      open("#history");
      wait.until(
          d ->
              "tab_binary_softmax"
                  .equals(
                      new Select(d.findElement(By.id("history-model")))
                          .getFirstSelectedOption()
                          .getDomProperty("value")));
      assertThat(
              new Select(browser.findElement(By.id("predict-model")))
                  .getFirstSelectedOption()
                  .getDomProperty("value"))
          .isEqualTo("tab_binary_softmax");
    }
  }

  @Test
  void showsSchemaErrorsNextToTheFieldTheyName() {
    open("");
    new Select(browser.findElement(By.id("predict-model"))).selectByValue("tab_binary_softmax");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("f-Fare")));
    WebElement fare = browser.findElement(By.id("f-Fare"));
    fare.clear();
    fare.sendKeys("-5");
    browser.findElement(By.id("predict-submit")).click();
    wait.until(d -> !d.findElement(By.id("f-Fare-err")).getText().isEmpty());
    assertThat(browser.findElement(By.id("f-Fare-err")).getText()).contains("Fare");
    assertThat(fare.getDomAttribute("class")).contains("invalid");
    assertThat(browser.findElement(By.id("f-Age-err")).getText()).isEmpty();
  }

  @Test
  void drawsADigitAndClassifiesIt() throws IOException {
    open("");
    new Select(browser.findElement(By.id("predict-model"))).selectByValue("image_digits");
    WebElement canvas = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("f-Image")));
    canvas.findElement(By.xpath("..")).findElement(By.tagName("button")).click();
    new Actions(browser)
        .moveToElement(canvas, -10, -60)
        .clickAndHold()
        .moveByOffset(5, 40)
        .moveByOffset(5, 40)
        .moveByOffset(0, 30)
        .release()
        .perform();
    browser.findElement(By.id("predict-submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("predict-label")));
    assertThat(browser.findElement(By.id("predict-label")).getText()).matches("[0-9]");
    shot("digits");
  }

  @Test
  void recordsAnOutcomeAndHistoryAndQualityChange() throws IOException {
    String id =
        s.post("/models/tab_binary_softmax/predict", ServerApiTest.PASSENGER)
            .json()
            .get("id")
            .asText();
    long labelledBefore =
        s.get("/models/tab_binary_softmax/quality").json().get("labelled").asLong();
    open("#history");
    new Select(browser.findElement(By.id("history-model"))).selectByValue("tab_binary_softmax");
    WebElement row =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-id='" + id + "']")));
    new Select(row.findElement(By.tagName("select"))).selectByValue("survived");
    row.findElement(By.tagName("button")).click();
    wait.until(
        d ->
            d.findElement(By.cssSelector("tr[data-id='" + id + "'] .outcome-cell"))
                .getText()
                .equals("survived"));
    assertThat(s.history.find("tab_binary_softmax", id).orElseThrow().outcome()).isPresent();
    // the export goes through fetch (so it can carry the key), not a plain link
    Object csv =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " send('/models/tab_binary_softmax/predictions.csv')"
                    + ".then(r => r.text()).then(done, e => done(String(e)));");
    assertThat(String.valueOf(csv)).startsWith("id,").contains(id);
    shot("history");

    browser.findElement(By.id("tab-monitor")).click();
    new Select(browser.findElement(By.id("monitor-model"))).selectByValue("tab_binary_softmax");
    wait.until(
        d ->
            d.findElement(By.id("metric-labelled"))
                .getText()
                .replace(",", "")
                .equals(Long.toString(labelledBefore + 1)));
    wait.until(
        d ->
            imageLoaded("chart-volume")
                && imageLoaded("chart-calibration")
                && imageLoaded("chart-confusion"));
    assertThat(browser.findElement(By.id("metric-accuracy")).getText()).isNotEqualTo("—");
    // the drift panel: a row per feature and the prediction (no profile here: the day before)
    wait.until(d -> !d.findElements(By.cssSelector("#drift-table tbody tr")).isEmpty());
    assertThat(browser.findElement(By.id("drift-table")).getText()).contains("prediction");
    assertThat(browser.findElement(By.id("monitor-drift-note")).getText())
        .contains("No training profile");
    shot("monitoring");
  }

  @Test
  void forecastsAKeyPickedFromTheDataSource() throws IOException {
    open("#forecast");
    wait.until(d -> new Select(d.findElement(By.id("forecast-key"))).getOptions().size() == 3);
    new Select(browser.findElement(By.id("forecast-key"))).selectByValue("FINA");
    new Select(browser.findElement(By.id("forecast-model"))).selectByValue("series_relative");
    browser.findElement(By.id("forecast-go")).click();
    wait.until(d -> imageLoaded("forecast-chart"));
    assertThat(browser.findElement(By.cssSelector("#forecast-result h2")).getText())
        .contains("FINA")
        .contains("14-step");
    shot("forecast");
  }

  @Test
  void fitsAPhoneWidthAndWorksFromTheKeyboard() throws IOException {
    try {
      browser.manage().window().setSize(new Dimension(390, 844));
      open("");
      Object overflow =
          ((JavascriptExecutor) browser)
              .executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
      assertThat(overflow).isEqualTo(false);
      shot("phone");
      WebElement predictTab = browser.findElement(By.id("tab-predict"));
      predictTab.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
      wait.until(
          d ->
              d.findElement(By.id("tab-forecast")).getDomAttribute("aria-selected").equals("true"));
      assertThat(browser.findElement(By.id("panel-forecast")).isDisplayed()).isTrue();
      for (WebElement input :
          browser.findElements(
              By.cssSelector(
                  "#predict-fields input, #predict-fields select, #predict-fields textarea"))) {
        String id = input.getDomProperty("id");
        boolean labelled =
            !browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty()
                || input.getDomAttribute("aria-label") != null;
        assertThat(labelled).as("a label for " + id).isTrue();
      }
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1000));
    }
  }
}
