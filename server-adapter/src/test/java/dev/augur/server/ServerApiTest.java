package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.server.Running.Response;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the HTTP API over loopback, with its status codes and response shapes. */
class ServerApiTest {
  static final String TITANIC = "tab_binary_softmax";
  static final String PASSENGER =
      "{\"Age\": 22.0, \"Fare\": 7.25, \"Sex\": \"male\", \"Embarked\": \"S\", \"Pclass\": 3,"
          + " \"Alone\": false, \"Boarded\": \"1912-04-10T12:00:00Z\"}";

  @TempDir static Path dir;
  static Running s;

  @BeforeAll
  static void start() {
    s = Running.start(dir, b -> {});
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + System.nanoTime();
  }

  @Test
  void welcomeIsJsonForClientsAndThePageForBrowsers() {
    Response json = s.get("/");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.json().get("default_model").asText()).isEqualTo(TITANIC);
    assertThat(json.json().get("models")).hasSize(Running.MODELS.length);
    assertThat(json.json().get("links").get("openapi").asText()).isEqualTo("/openapi.json");
    Response html = s.get("/", "Accept", "text/html,application/xhtml+xml");
    assertThat(html.status()).isEqualTo(200);
    assertThat(html.type()).startsWith("text/html");
    assertThat(html.body()).contains("<html");
    assertThat(html.headers().firstValue("Vary")).hasValue("Accept");
    assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
  }

  @Test
  void healthAndReadiness() {
    assertThat(s.get("/health/live").status()).isEqualTo(200);
    Response ready = s.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("history").asText()).isEqualTo("up");
  }

  @Test
  void modelsListAndDetail() {
    Response list = s.get("/models");
    assertThat(list.json().get("models")).hasSize(Running.MODELS.length);
    JsonNode m = s.get("/models/" + TITANIC).json();
    assertThat(m.get("name").asText()).isEqualTo(TITANIC);
    assertThat(m.get("task").asText()).isEqualTo("binary_classification");
    assertThat(m.get("versions")).hasSize(1);
    assertThat(m.get("input_schema").get("properties").has("Age")).isTrue();
    assertThat(m.get("example").get("Sex").asText()).isEqualTo("male");
    Response missing = s.get("/models/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.type()).startsWith("application/problem+json");
    assertThat(missing.json().get("detail").asText()).contains("nope");
  }

  @Test
  void predictsRecordsReplaysAndRefusesAConflictingReuse() {
    String id = unique("p");
    Response r =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"id\": \"" + id + "\", \"observation\": " + PASSENGER + "}");
    assertThat(r.status()).isEqualTo(200);
    JsonNode p = r.json();
    assertThat(p.get("id").asText()).isEqualTo(id);
    assertThat(p.get("label").asText()).isIn("died", "survived");
    assertThat(p.get("probabilities").size()).isEqualTo(2);
    assertThat(p.get("proba").asDouble()).isBetween(0.0, 1.0);
    assertThat(p.get("model").asText()).isEqualTo(TITANIC);
    assertThat(s.history.find(TITANIC, id)).as("recorded before the answer").isPresent();

    Response again =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"id\": \"" + id + "\", \"observation\": " + PASSENGER + "}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("proba").asDouble()).isEqualTo(p.get("proba").asDouble());

    Response conflict =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"id\": \"" + id + "\", \"observation\": " + PASSENGER.replace("22.0", "40.0") + "}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().get("detail").asText()).contains(id);
  }

  @Test
  void generatesIdsAndAcceptsTheFlatTutorialFormAndBatches() {
    Response flat = s.post("/models/" + TITANIC + "/predict", PASSENGER);
    assertThat(flat.status()).isEqualTo(200);
    assertThat(flat.json().get("id").asText()).hasSizeGreaterThan(20);

    Response batch =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"instances\": ["
                + PASSENGER
                + ", "
                + PASSENGER.replace("\"male\"", "\"female\"")
                + "]}");
    assertThat(batch.status()).isEqualTo(200);
    JsonNode ps = batch.json().get("predictions");
    assertThat(ps).hasSize(2);
    assertThat(ps.get(0).get("id").asText()).isNotEqualTo(ps.get(1).get("id").asText());
    assertThat(s.history.find(TITANIC, ps.get(1).get("id").asText())).isPresent();
  }

  @Test
  void predictsFromQueryParameters() {
    String id = unique("q");
    Response r =
        s.get(
            "/models/"
                + TITANIC
                + "/predict?Age=&Fare=7.25&Sex=male&Embarked=S&Pclass=3&Alone=false&Boarded=1912-04-10T12:00:00Z&id="
                + id);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("id").asText()).isEqualTo(id);
    assertThat(s.history.find(TITANIC, id).orElseThrow().observation().values())
        .containsEntry("Age", null);
  }

  @Test
  void schemaViolationsAre422WithEveryFieldNamed() {
    Response r =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"observation\": {\"Age\": \"old\", \"Sex\": \"robot\", \"Pclass\": 9}}");
    assertThat(r.status()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertThat(fields).contains("Age", "Sex", "Pclass", "Fare");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.augur");
    Response batch =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"instances\": [" + PASSENGER + ", {\"Age\": 1}]}");
    assertThat(batch.status()).isEqualTo(422);
    assertThat(batch.body()).contains("instances[1]");
  }

  @Test
  void malformedBodiesAndWrongTypesAreClientErrors() {
    assertThat(s.post("/models/" + TITANIC + "/predict", "{\"observation\": ").status())
        .isEqualTo(400);
    assertThat(s.post("/models/" + TITANIC + "/predict", "").status()).isEqualTo(400);
    assertThat(s.post("/models/" + TITANIC + "/predict", "[1,2]").status()).isEqualTo(400);
    assertThat(
            s.post("/models/" + TITANIC + "/predict", PASSENGER, "Content-Type", "text/xml")
                .status())
        .isEqualTo(415);
    assertThat(
            s.post(
                    "/models/" + TITANIC + "/predict",
                    "{\"id\": {\"x\": 1}, \"observation\": " + PASSENGER + "}")
                .status())
        .isEqualTo(422);
    assertThat(s.method("DELETE", "/models/" + TITANIC + "/predict", "").status()).isEqualTo(405);
    assertThat(s.get("/nowhere").status()).isEqualTo(404);
  }

  @Test
  void outcomesHistoryQualityAndExport() {
    String model = "tab_binary_softmax";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = unique("o" + i);
      ids.add(id);
      assertThat(
              s.post(
                      "/models/" + model + "/predict",
                      "{\"id\": \""
                          + id
                          + "\", \"observation\": "
                          + PASSENGER.replace("22.0", (20 + i * 10) + ".0")
                          + "}")
                  .status())
          .isEqualTo(200);
    }
    Response out =
        s.put(
            "/models/" + model + "/predictions/" + ids.get(0) + "/outcome",
            "{\"outcome\": \"survived\"}");
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.json().get("outcome").asText()).isEqualTo("survived");
    assertThat(out.json().get("outcome_at").isNull()).isFalse();
    assertThat(
            s.put(
                    "/models/" + model + "/predictions/" + ids.get(1) + "/outcome",
                    "{\"true_class\": 0}")
                .json()
                .get("outcome")
                .asText())
        .isEqualTo("died");
    assertThat(
            s.put("/models/" + model + "/predictions/unknown-id/outcome", "{\"outcome\": 1}")
                .status())
        .isEqualTo(404);
    assertThat(
            s.put(
                    "/models/" + model + "/predictions/" + ids.get(2) + "/outcome",
                    "{\"outcome\": \"maybe\"}")
                .status())
        .isEqualTo(422);
    assertThat(s.put("/models/" + model + "/predictions/" + ids.get(2) + "/outcome", "{}").status())
        .isEqualTo(422);

    JsonNode page = s.get("/models/" + model + "/predictions?n=2").json();
    assertThat(page.get("items")).hasSize(2);
    assertThat(page.get("items").get(0).get("id").asText()).isEqualTo(ids.get(3));
    assertThat(page.get("items").get(0).get("prediction").has("label")).isTrue();
    JsonNode next =
        s.get("/models/" + model + "/predictions?n=2&before=" + page.get("next").asText()).json();
    assertThat(next.get("items").get(0).get("id").asText()).isEqualTo(ids.get(1));
    assertThat(s.get("/models/" + model + "/predictions?n=0").status()).isEqualTo(400);
    assertThat(s.get("/models/" + model + "/predictions?n=abc").status()).isEqualTo(400);
    assertThat(s.get("/models/" + model + "/predictions?before=garbage").status()).isEqualTo(400);
    assertThat(
            s.get("/models/" + model + "/predictions/" + ids.get(0)).json().get("outcome").asText())
        .isEqualTo("survived");
    assertThat(s.get("/models/" + model + "/predictions/nope").status()).isEqualTo(404);

    JsonNode q = s.get("/models/" + model + "/quality").json();
    assertThat(q.get("labelled").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(q.get("metrics").has("accuracy")).isTrue();
    assertThat(q.get("metrics").has("roc_auc")).isTrue();
    assertThat(s.get("/models/" + model + "/quality?window=24h").status()).isEqualTo(200);
    assertThat(s.get("/models/" + model + "/quality?window=soon").status()).isEqualTo(400);

    Response csv = s.get("/models/" + model + "/predictions.csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.type()).startsWith("text/csv");
    assertThat(csv.body().lines().findFirst().orElseThrow()).contains("Age").contains("outcome");
    assertThat(csv.body()).contains(ids.get(0));
  }

  @Test
  void tutorialCompatibilityRoutes() {
    Response p = s.post("/predict", PASSENGER);
    assertThat(p.status()).isEqualTo(200);
    String id = p.json().get("id").asText();
    Response g =
        s.get(
            "/predict?Age=30&Fare=8&Sex=female&Embarked=C&Pclass=1&Alone=true&Boarded=1912-04-10T12:00:00Z");
    assertThat(g.status()).as(g.body()).isEqualTo(200);
    Response u = s.post("/update", "{\"id\": \"" + id + "\", \"true_class\": 1}");
    assertThat(u.status()).isEqualTo(200);
    assertThat(u.json().get("true_class").asInt()).isEqualTo(1);
    assertThat(u.json().get("outcome").asText()).isEqualTo("survived");
    assertThat(s.post("/update", "{\"true_class\": 1}").status()).isEqualTo(422);
    JsonNode h = s.get("/history?n=5").json();
    assertThat(h.get("items").size()).isBetween(2, 5);
  }

  @Test
  void dataSourcesAndForecastForAKey() {
    JsonNode listed = s.get("/sources").json().get("sources").get(0);
    assertThat(listed.get("name").asText()).isEqualTo("stocks");
    assertThat(listed.get("keys").isArray()).as(listed.toString()).isTrue();
    assertThat(listed.get("keys").toString()).contains("HLTH");
    assertThat(s.get("/sources/stocks/keys").json().get("keys").toString()).contains("HLTH");
    JsonNode pts = s.get("/sources/stocks/keys/HLTH?n=3").json();
    assertThat(pts.get("points")).hasSize(3);
    assertThat(pts.get("points").get(2).get("t").asText()).isEqualTo("2008-10-17");
    assertThat(s.get("/sources/stocks/keys/NOPE").status()).isEqualTo(404);
    assertThat(s.get("/sources/nope/keys").status()).isEqualTo(404);

    Response f = s.post("/models/series_relative/forecast?source=stocks&key=HLTH", "");
    assertThat(f.status()).as(f.body()).isEqualTo(200);
    JsonNode body = f.json();
    assertThat(body.get("history")).hasSize(30);
    assertThat(body.get("forecast")).hasSize(14);
    assertThat(body.get("forecast").get(0).get("t").asText()).isEqualTo("2008-10-20");
    assertThat(s.history.find("series_relative", body.get("id").asText())).isPresent();
    Response chart = s.get(body.get("chart").asText());
    assertThat(chart.status()).isEqualTo(200);
    assertThat(chart.type()).isEqualTo("image/png");
    assertThat(s.post("/models/series_relative/forecast?source=stocks", "").status())
        .isEqualTo(400);
    assertThat(s.post("/models/series_relative/forecast?source=stocks&key=NOPE", "").status())
        .isEqualTo(404);
    assertThat(s.post("/models/" + TITANIC + "/forecast?source=stocks&key=HLTH", "").status())
        .isEqualTo(422);
  }

  @Test
  void plotsChartSpecsInEveryFormat() throws Exception {
    String spec =
        "{\"kind\": \"probabilities\", \"probabilities\": {\"died\": 0.83, \"survived\": 0.17}, \"width\": 400, \"height\": 300}";
    Response png = s.post("/plot", spec);
    assertThat(png.status()).isEqualTo(200);
    assertThat(png.type()).isEqualTo("image/png");
    var img = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    assertThat(img.getWidth()).isEqualTo(400);
    assertThat(img.getHeight()).isEqualTo(300);
    Response svg = s.post("/plot?format=svg", spec);
    assertThat(svg.type()).isEqualTo("image/svg+xml");
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    assertThat(
            xml.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.bytes()))
                .getDocumentElement()
                .getTagName())
        .isEqualTo("svg");
    Response jpeg = s.post("/plot", spec, "Accept", "image/jpeg");
    assertThat(jpeg.type()).isEqualTo("image/jpeg");
    assertThat(s.post("/plot", "{\"kind\": \"pie\"}").status()).isEqualTo(422);
    assertThat(s.post("/plot?format=gif", spec).status()).isEqualTo(400);
  }

  @Test
  void modelCharts() {
    for (int i = 0; i < 3; i++) {
      String id = s.post("/models/" + TITANIC + "/predict", PASSENGER).json().get("id").asText();
      s.put(
          "/models/" + TITANIC + "/predictions/" + id + "/outcome",
          "{\"outcome\": " + (i % 2) + "}");
    }
    for (String kind : List.of("volume", "scores", "quality", "calibration", "confusion")) {
      Response r = s.get("/models/" + TITANIC + "/charts/" + kind + ".png?width=600&height=400");
      assertThat(r.status()).as(kind + ": " + r.body()).isEqualTo(200);
      assertThat(r.type()).isEqualTo("image/png");
    }
    assertThat(s.get("/models/" + TITANIC + "/charts/volume.svg").type())
        .isEqualTo("image/svg+xml");
    assertThat(s.get("/models/" + TITANIC + "/charts/pie.png").status()).isEqualTo(404);
    assertThat(s.get("/models/" + TITANIC + "/charts/volume.gif").status()).isEqualTo(404);
    assertThat(s.get("/models/" + TITANIC + "/charts/volume.png?width=50").status()).isEqualTo(400);
    assertThat(s.get("/models/regression_scaled/charts/confusion.png").status()).isEqualTo(404);
  }

  @Test
  void aConfusionMatrixWithNoLabelledPredictionIsNotFoundRatherThanAllZero() {
    String image =
        "{\"inputs\": [{\"name\": \"Image\", \"shape\": [1, 28, 28], \"datatype\": \"FP32\", \"data\": "
            + zeros(784)
            + "}]}";
    assertThat(s.post("/v2/models/image_digits/infer", image).status()).isEqualTo(200);
    Response r = s.get("/models/image_digits/charts/confusion.png");
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.body()).contains("nothing to draw yet").contains("labelled");
  }

  @Test
  void openApiAndSwaggerUi() {
    JsonNode doc = s.get("/openapi.json").json();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    assertThat(doc.get("paths").has("/models/" + TITANIC + "/predict")).isTrue();
    assertThat(
            doc.get("components")
                .get("schemas")
                .get("TabBinarySoftmaxObservation")
                .get("properties")
                .has("Boarded"))
        .isTrue();
    assertThat(doc.toString()).contains("1912-04-10T12:00:00Z");
    Response page = s.get("/docs");
    assertThat(page.body()).contains("swagger-ui-bundle.js");
    Response js = s.get("/docs/swagger-ui-bundle.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.bytes().length).isGreaterThan(100_000);
  }

  @Test
  void prometheusMetrics() {
    s.post("/models/" + TITANIC + "/predict", PASSENGER);
    Response m = s.get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body())
        .contains("augur_predictions_total{model=\"" + TITANIC + "\"")
        .contains(
            "http_server_requests_seconds_count{method=\"POST\",route=\"/models/{m}/predict\",status=\"200\"}")
        .contains("augur_batch_size_count{model=\"" + TITANIC + "\"")
        .contains("augur_batch_queue_seconds_count{model=\"" + TITANIC + "\"")
        .contains("augur_history_write_seconds_count")
        .contains("augur_history_group_size_count")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void openInferenceProtocolV2() {
    assertThat(s.get("/v2").json().get("name").asText()).isEqualTo("augur");
    assertThat(s.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
    JsonNode meta = s.get("/v2/models/" + TITANIC).json();
    assertThat(meta.get("platform").asText()).isEqualTo("pytorch_torchscript");
    assertThat(meta.get("inputs").get(0).get("name").asText()).isEqualTo("Age");
    assertThat(s.get("/v2/models/" + TITANIC + "/versions/1/ready").json().get("ready").asBoolean())
        .isTrue();
    String infer =
        "{\"id\": \"req-7\", \"inputs\": ["
            + "{\"name\": \"Age\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [22.0, null]},"
            + "{\"name\": \"Fare\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [7.25, 80]},"
            + "{\"name\": \"Sex\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"male\", \"female\"]},"
            + "{\"name\": \"Embarked\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"S\", \"C\"]},"
            + "{\"name\": \"Pclass\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [3, 1]},"
            + "{\"name\": \"Alone\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [false, true]},"
            + "{\"name\": \"Boarded\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"1912-04-10T12:00:00Z\", \"1912-04-10T12:00:00Z\"]}]}";
    Response r = s.post("/v2/models/" + TITANIC + "/infer", infer);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode out = r.json();
    assertThat(out.get("id").asText()).isEqualTo("req-7");
    assertThat(out.get("outputs").get(0).get("name").asText()).isEqualTo("label");
    assertThat(out.get("outputs").get(1).get("shape").toString()).isEqualTo("[2,2]");
    assertThat(out.get("outputs").get(1).get("data")).hasSize(4);

    Response bad =
        s.post(
            "/v2/models/" + TITANIC + "/infer",
            "{\"inputs\": [{\"name\": \"Age\", \"shape\": [1], \"data\": [\"x\"]}]}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("error").asText()).contains("Age");
    assertThat(s.get("/v2/models/nope").json().has("error")).isTrue();

    String image =
        "{\"inputs\": [{\"name\": \"Image\", \"shape\": [1, 28, 28], \"datatype\": \"FP32\", \"data\": "
            + zeros(784)
            + "}]}";
    Response digits = s.post("/v2/models/image_digits/infer", image);
    assertThat(digits.status()).as(digits.body()).isEqualTo(200);
    assertThat(digits.json().get("outputs").get(1).get("shape").toString()).isEqualTo("[1,10]");

    // an ONNX model (scikit-learn, served by ONNX Runtime) through the same protocol
    assertThat(s.get("/v2/models/onnx_logreg_binary").json().get("platform").asText())
        .isEqualTo("onnxruntime_onnx");
    Response onnx =
        s.post(
            "/v2/models/onnx_logreg_binary/infer",
            "{\"inputs\": ["
                + "{\"name\": \"Age\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [22, null]},"
                + "{\"name\": \"Fare\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [7.25, 71.28]},"
                + "{\"name\": \"Sex\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"male\", \"female\"]},"
                + "{\"name\": \"Pclass\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [3, 1]}]}");
    assertThat(onnx.status()).as(onnx.body()).isEqualTo(200);
    assertThat(onnx.json().get("outputs").get(0).get("data").toString())
        .isEqualTo("[\"died\",\"survived\"]");
  }

  private static String zeros(int n) {
    return "[" + String.join(",", java.util.Collections.nCopies(n, "0")) + "]";
  }

  @Test
  void mlflowScoringProtocol() {
    String split =
        "{\"dataframe_split\": {\"columns\": [\"Age\",\"Fare\",\"Sex\",\"Embarked\",\"Pclass\",\"Alone\",\"Boarded\"],"
            + " \"data\": [[22.0, 7.25, \"male\", \"S\", 3, false, \"1912-04-10T12:00:00Z\"]]}}";
    Response r = s.post("/models/" + TITANIC + "/invocations", split);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("predictions").get(0).asText()).isIn("died", "survived");
    assertThat(
            s.post("/invocations", "{\"dataframe_records\": [" + PASSENGER + "]}")
                .json()
                .get("predictions"))
        .hasSize(1);
    assertThat(
            s.post("/invocations", "{\"instances\": [" + PASSENGER + ", " + PASSENGER + "]}")
                .json()
                .get("predictions"))
        .hasSize(2);
    String inputs =
        "{\"inputs\": {\"Age\": [22.0], \"Fare\": [7.25], \"Sex\": [\"male\"], \"Embarked\": [\"S\"], \"Pclass\": [3],"
            + " \"Alone\": [false], \"Boarded\": [\"1912-04-10T12:00:00Z\"]}}";
    assertThat(s.post("/invocations", inputs).json().get("predictions")).hasSize(1);
    assertThat(s.post("/invocations", "{\"rows\": []}").status()).isEqualTo(422);
    Response reg =
        s.post(
            "/models/regression_scaled/invocations",
            "{\"dataframe_records\": [{\"date\": \"2024-03-01T08:30:00\", \"origin\": \"SFO\", \"distance\": 500}]}");
    assertThat(reg.status()).as(reg.body()).isEqualTo(200);
    assertThat(reg.json().get("predictions").get(0).isNumber()).isTrue();
  }
}
