package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.server.Running.Response;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review M1: another site cannot make a visitor's browser change anything (a form posting
 * to {@code /update} or {@code reload}, an {@code <img>} recording predictions), key or no key,
 * while the page's own requests, non-browser clients and CORS-allowed origins go through.
 */
class CrossSiteTest {
  static final String PREDICT = ServerLimitsTest.PREDICT;
  static final String PASSENGER = ServerLimitsTest.PASSENGER;

  @TempDir Path dir;

  @Test
  void crossSiteRequestsThatChangeSomethingAre403AndWriteNothing() {
    try (Running s = Running.start(dir, b -> b.corsOrigins(List.of("https://app.example")))) {
      String id = s.post(PREDICT, PASSENGER).json().get("id").asText();
      String update = "{\"id\": \"" + id + "\", \"true_class\": 1}";
      // a <form> on another site: form-encoded, with the site's Origin
      Response form =
          s.post(
              "/update",
              update,
              "Content-Type",
              "application/x-www-form-urlencoded",
              "Origin",
              "https://evil.example");
      assertThat(form.status()).isEqualTo(403);
      assertThat(form.json().get("detail").asText()).contains("https://evil.example");
      assertThat(s.post("/models/tab_binary_softmax/reload", "", "Origin", "null").status())
          .isEqualTo(403);
      Response predicted =
          s.post(PREDICT, "{\"id\": \"csrf-1\", " + PASSENGER.substring(1), "Origin", "http://x");
      assertThat(predicted.status()).isEqualTo(403);
      // an <img src> on another site: no Origin, but the browser says where it comes from
      Response img =
          s.get(
              PREDICT + "?id=csrf-2&Age=22&Sex=male&Embarked=S&Pclass=3&Fare=7.25",
              "Sec-Fetch-Site",
              "cross-site");
      assertThat(img.status()).isEqualTo(403);
      assertThat(s.history.find("tab_binary_softmax", "csrf-1")).isEmpty();
      assertThat(s.history.find("tab_binary_softmax", "csrf-2")).isEmpty();
      assertThat(s.history.find("tab_binary_softmax", id).orElseThrow().outcome()).isEmpty();

      // the page's own requests (same origin), curl, and an allowed origin go through
      String self = "http://127.0.0.1:" + s.server.port();
      assertThat(s.post("/update", update, "Origin", self).status()).isEqualTo(200);
      assertThat(
              s.post(PREDICT, PASSENGER, "Content-Type", "application/x-www-form-urlencoded")
                  .status())
          .isEqualTo(200);
      assertThat(s.post(PREDICT, PASSENGER, "Origin", "https://app.example").status())
          .isEqualTo(200);
      assertThat(s.get("/models", "Origin", "https://evil.example").status())
          .as("reading is CORS's business: the browser keeps the answer from the other site")
          .isEqualTo(200);
      // review L6: no other site frames the page; no answer is sniffed into another type
      Response page = s.get("/", "Accept", "text/html");
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValue("frame-ancestors 'none'");
      assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }
}
