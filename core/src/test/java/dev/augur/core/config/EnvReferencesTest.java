package dev.augur.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {
  private static final Map<String, String> ENV =
      Map.of("TOKEN", "s3cr$t\\x", "HOST", "db.internal", "EMPTY", "");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads {@code json} into plain values, resolves them, and gives them back as a tree. */
  private static JsonNode resolve(String json) throws Exception {
    return JSON.valueToTree(EnvReferences.resolve(JSON.readValue(json, Object.class), ENV::get));
  }

  @Test
  void replacesReferencesInStringValuesAnywhereInTheTree() throws Exception {
    JsonNode out =
        resolve(
            """
            {"a": "Bearer ${env:TOKEN}", "b": [{"url": "jdbc:postgresql://${env:HOST}/x"}],
             "n": 3, "${env:TOKEN}": "keys stay", "e": "[${env:EMPTY}]"}
            """);
    assertThat(out.get("a").asText()).isEqualTo("Bearer s3cr$t\\x");
    assertThat(out.at("/b/0/url").asText()).isEqualTo("jdbc:postgresql://db.internal/x");
    assertThat(out.get("n").intValue()).isEqualTo(3);
    assertThat(out.get("${env:TOKEN}").asText()).isEqualTo("keys stay");
    assertThat(out.get("e").asText()).isEqualTo("[]");
  }

  @Test
  void aDoubledDollarIsTheLiteralText() throws Exception {
    assertThat(resolve("{\"a\": \"$${env:TOKEN} and ${other}\"}").get("a").asText())
        .isEqualTo("${env:TOKEN} and ${other}");
  }

  @Test
  void everyMissingVariableIsNamedWithWhereItIsUsed() {
    assertThatThrownBy(
            () -> resolve("{\"a\": \"${env:NOPE}\", \"b\": [\"${env:ALSO_NOPE}${env:TOKEN}\"]}"))
        .isInstanceOf(EnvReferences.UnresolvedException.class)
        .hasMessageContaining("a: the environment variable NOPE is not set")
        .hasMessageContaining("b[0]: the environment variable ALSO_NOPE is not set")
        .satisfies(e -> assertThat(((EnvReferences.UnresolvedException) e).problems()).hasSize(2));
  }

  @Test
  void keepsNonStringValuesAndNullAsTheyAre() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("n", 1L);
    tree.put("f", 1.5f);
    tree.put("z", null);
    tree.put("t", true);
    assertThat(EnvReferences.resolve(tree, ENV::get)).isEqualTo(tree);
    assertThat(EnvReferences.resolve(null, ENV::get)).isNull();
  }

  @Test
  void aMalformedReferenceIsAnError() {
    assertThatThrownBy(() -> resolve("{\"a\": \"${env:BAD-NAME}\"}"))
        .hasMessageContaining("a: '${env:BAD-NAME}' is not a reference");
    assertThatThrownBy(() -> resolve("{\"a\": \"${env:UNCLOSED\"}"))
        .hasMessageContaining("is not a reference");
  }
}
