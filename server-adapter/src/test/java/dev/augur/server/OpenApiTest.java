package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /openapi.json}: valid, complete, relative, and honest about the key. */
class OpenApiTest {
  static final String TITANIC = ServerApiTest.TITANIC;

  @TempDir static Path open;
  @TempDir static Path keyed;
  static Running plain;
  static Running secured;

  @BeforeAll
  static void start() {
    plain = Running.start(open, b -> {});
    secured = Running.start(keyed, b -> b.apiKey("s3cret"));
  }

  @AfterAll
  static void stop() {
    plain.close();
    secured.close();
  }

  private static SwaggerParseResult parse(String json) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    return new OpenAPIV3Parser().readContents(json, null, options);
  }

  @Test
  void theDocumentValidatesWithNoErrorsAndNoWarnings() {
    for (Running s : List.of(plain, secured)) {
      SwaggerParseResult r = parse(s.get("/openapi.json").body());
      assertThat(r.getMessages()).isEmpty();
      assertThat(r.getOpenAPI()).isNotNull();
      assertThat(r.getOpenAPI().getPaths()).containsKey("/models/{m}/predict");
    }
  }

  @Test
  void serversAreRelativeWhateverTheHostHeader() {
    JsonNode doc = plain.get("/openapi.json", "X-Forwarded-Proto", "https").json();
    assertThat(doc.get("servers").toString()).isEqualTo("[{\"url\":\"/\"}]");
    assertThat(doc.toString()).doesNotContain("127.0.0.1").doesNotContain("http://");
  }

  @Test
  void everyRouteIsDescribedWithEveryPathParameter() {
    JsonNode doc = plain.get("/openapi.json").json();
    Set<String> described = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      Set<String> declared = new TreeSet<>();
      path.getValue().path("parameters").forEach(p -> declared.add(p.get("name").asText()));
      Set<String> inPath = new TreeSet<>();
      Matcher m = Pattern.compile("\\{([a-z]+)}").matcher(path.getKey());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      assertThat(declared).as(path.getKey()).isEqualTo(inPath);
      for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
        String method = ops.next();
        if (!method.equals("parameters")) {
          described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    assertThat(described)
        .as("every route of the server; add new ones to OpenApi.GENERIC")
        .containsAll(plain.server.routes());
  }

  @Test
  void queryParametersAreDeclared() {
    JsonNode paths = plain.get("/openapi.json").json().get("paths");
    assertThat(names(paths.at("/~1models~1{m}~1predictions/get/parameters")))
        .containsExactly("n", "before", "shadow");
    assertThat(names(paths.at("/~1models~1{m}~1quality/get/parameters"))).contains("window");
    assertThat(names(paths.at("/~1models~1{m}~1forecast/post/parameters")))
        .containsExactly("source", "key");
    assertThat(names(paths.at("/~1models~1{m}~1charts~1{file}/get/parameters")))
        .contains("width", "height", "window");
    assertThat(names(paths.at("/~1plot/post/parameters"))).containsExactly("format");
    // a model's own GET predict takes its features, so "Try it out" fills a form
    assertThat(names(paths.at("/~1models~1" + TITANIC + "~1predict/get/parameters")))
        .contains("id", "version", "Age", "Sex", "Boarded");
    assertThat(paths.at("/~1models~1" + TITANIC + "~1predict/post/requestBody").toString())
        .contains("TabBinarySoftmaxObservation");
  }

  @Test
  void securityIsDeclaredOnlyWhereTheKeyApplies() {
    assertThat(plain.get("/openapi.json").json().has("security")).isFalse();
    JsonNode doc = secured.get("/openapi.json").json();
    assertThat(doc.get("security").toString()).isEqualTo("[{\"bearer\":[]},{\"apiKey\":[]}]");
    assertThat(doc.at("/components/securitySchemes/apiKey/name").asText()).isEqualTo("X-API-Key");
    JsonNode paths = doc.get("paths");
    for (String probe : OpenApi.OPEN) {
      assertThat(paths.at("/" + probe.replace("/", "~1") + "/get/security").toString())
          .as(probe)
          .isEqualTo("[]");
    }
    JsonNode predict = paths.at("/~1models~1{m}~1predict/post");
    assertThat(predict.has("security")).isFalse();
    assertThat(predict.get("responses").has("401")).isTrue();
    assertThat(predict.get("responses").has("403")).isTrue();
  }

  private static List<String> names(JsonNode params) {
    List<String> out = new ArrayList<>();
    params.forEach(p -> out.add(p.get("name").asText()));
    return out;
  }
}
