package dev.augur.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.Violation;
import dev.augur.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputSchemaTest {
  @TempDir Path dir;

  private InputSchema schema(String inputsJson) throws Exception {
    Files.writeString(dir.resolve("vocab.txt"), "<pad>\n<unk>\nhello\nworld\ncafé\n");
    List<Violation> problems = new ArrayList<>();
    InputSchema s = InputSchema.parse(inputsJson, dir, problems);
    assertThat(problems).isEmpty();
    return s;
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<String> fields(InvalidInputException e) {
    return e.violations().stream().map(Violation::field).toList();
  }

  @Test
  void encodesNumbersWithImputeAndScale() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"Age\",\"type\":\"number\",\"nullable\":true,\"impute\":28.0,"
                + "\"scale\":{\"mean\":29.7,\"std\":14.5}},{\"name\":\"P\",\"type\":\"integer\",\"min\":1,\"max\":3}]");
    assertThat(s.encode(Observation.of(map("Age", 22.0, "P", 3))).tabular())
        .containsExactly((float) ((22.0 - 29.7) / 14.5), 3f);
    assertThat(s.encode(Observation.of(map("Age", null, "P", 2.0))).tabular())
        .containsExactly((float) ((28.0 - 29.7) / 14.5), 2f);
    assertThat(s.encode(Observation.of(map("P", "1"))).tabular()[1]).isEqualTo(1f);
  }

  @Test
  void reportsEveryViolationTogetherWithFieldNames() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"Age\",\"type\":\"number\"},"
                + "{\"name\":\"Sex\",\"type\":\"category\",\"categories\":[\"male\",\"female\"]},"
                + "{\"name\":\"P\",\"type\":\"integer\",\"min\":1,\"max\":3},"
                + "{\"name\":\"B\",\"type\":\"boolean\"},"
                + "{\"name\":\"When\",\"type\":\"datetime\",\"parts\":[\"hour\"]}]");
    assertThatThrownBy(
            () ->
                s.encode(
                    Observation.of(
                        map(
                            "Age",
                            "old",
                            "Sex",
                            "other",
                            "P",
                            1.5,
                            "B",
                            "maybe",
                            "When",
                            "yesterday"))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(fields(e)).containsExactly("Age", "Sex", "P", "B", "When");
              assertThat(e.violations().get(1).message())
                  .contains("unknown category")
                  .contains("male");
              assertThat(e.violations().get(2).message()).contains("whole number");
            });
  }

  @Test
  void rejectsMissingNullOutOfRangeAndNonFinite() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"A\",\"type\":\"number\",\"max\":10},{\"name\":\"B\",\"type\":\"number\"},{\"name\":\"C\",\"type\":\"number\"}]");
    assertThatThrownBy(() -> s.encode(Observation.of(map("A", 11, "B", null, "C", Double.NaN))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.violations())
                  .extracting(Violation::toString)
                  .containsExactly(
                      "A: must be at most 10", "B: must not be null", "C: must be a finite number");
            });
    assertThatThrownBy(() -> s.encode(Observation.of(map("A", 1))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::toString)
                    .containsExactly("B: is required", "C: is required"));
  }

  @Test
  void queryFormCoercesStringsAndEmptyIsNull() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"A\",\"type\":\"number\",\"nullable\":true,\"impute\":5},"
                + "{\"name\":\"B\",\"type\":\"boolean\"},"
                + "{\"name\":\"Y\",\"type\":\"category\",\"categories\":[2007,2008]},"
                + "{\"name\":\"S\",\"type\":\"series\",\"window\":3}]");
    EncodedRow r =
        s.encode(Observation.ofStrings(Map.of("A", "", "B", "true", "Y", "2008", "S", "1,2,3,4")));
    assertThat(r.tabular()).containsExactly(5f, 1f, 0f, 1f);
    assertThat((float[]) r.tensors().get(0)).containsExactly(2f, 3f, 4f);
  }

  @Test
  void categoriesMatchNumbersAndStringsAlikeAndNullableNullIsAllZeros() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"Y\",\"type\":\"category\",\"categories\":[2007,2008,\"x\"],\"nullable\":true}]");
    assertThat(s.encode(Observation.of(map("Y", 2008.0))).tabular()).containsExactly(0f, 1f, 0f);
    assertThat(s.encode(Observation.of(map("Y", "2007"))).tabular()).containsExactly(1f, 0f, 0f);
    assertThat(s.encode(Observation.of(map("Y", null))).tabular()).containsExactly(0f, 0f, 0f);
  }

  @Test
  void datetimePartsInUtcOrTheFeatureZone() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"T\",\"type\":\"datetime\",\"parts\":[\"year\",\"month\",\"dayofmonth\",\"dayofweek\",\"dayofyear\",\"hour\",\"minute\"]},"
                + "{\"name\":\"L\",\"type\":\"datetime\",\"parts\":[\"hour\",\"dayofweek\"],\"timezone\":\"America/New_York\"}]");
    float[] a =
        s.encode(Observation.of(map("T", "2009-06-15 17:26:21 UTC", "L", "2009-06-15T02:00:00Z")))
            .tabular();
    // 2009-06-15 is a Monday; in New York 02:00Z is 22:00 on Sunday
    assertThat(a).containsExactly(2009f, 6f, 15f, 0f, 166f, 17f, 26f, 22f, 6f);
    float[] b =
        s.encode(Observation.of(map("T", "2009-06-15T19:26:21+02:00", "L", "2009-06-15T02:00:00Z")))
            .tabular();
    assertThat(Arrays.copyOf(b, 7)).containsExactly(2009f, 6f, 15f, 0f, 166f, 17f, 26f);
  }

  @Test
  void textIsTokenizedLowercasedTruncatedAndPadded() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"T\",\"type\":\"text\",\"tokenizer\":{\"type\":\"word\",\"vocabulary\":\"vocab.txt\","
                + "\"lowercase\":true,\"max_length\":4,\"pad_id\":0,\"unknown_id\":1}}]");
    assertThat((long[]) s.encode(Observation.of(map("T", "Hello, CAFÉ!"))).tensors().get(0))
        .containsExactly(2, 4, 0, 0);
    assertThat(
            (long[])
                s.encode(Observation.of(map("T", "hello zzz world world world"))).tensors().get(0))
        .containsExactly(2, 1, 3, 3);
  }

  @Test
  void imagesFromNestedArraysAreScaledAndNormalised() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"I\",\"type\":\"image\",\"width\":2,\"height\":2,\"channels\":1,\"scale\":0.5,\"mean\":[1],\"std\":[2]}]");
    float[] px =
        (float[])
            s.encode(Observation.of(map("I", List.of(List.of(0, 2), List.of(4, 6)))))
                .tensors()
                .get(0);
    assertThat(px).containsExactly(-0.5f, 0f, 0.5f, 1f);
    assertThatThrownBy(() -> s.encode(Observation.of(map("I", List.of(List.of(0, 2))))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("I: must be a nested array [2][2]");
    assertThatThrownBy(() -> s.encode(Observation.of(map("I", "not base64 !!"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("I:");
  }

  @Test
  void seriesTransformsAndTooShort() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"R\",\"type\":\"series\",\"window\":2,\"transform\":\"relative\"},"
                + "{\"name\":\"Z\",\"type\":\"series\",\"series\":{\"window\":2,\"transform\":\"standardize\"}}]");
    EncodedRow r = s.encode(Observation.of(map("R", List.of(9, 2, 4), "Z", List.of(1, 3))));
    assertThat((float[]) r.tensors().get(0)).containsExactly(0.5f, 1f);
    assertThat((float[]) r.tensors().get(1)).containsExactly(-1f, 1f);
    assertThat(r.series().orElseThrow().invert(1.5)).isEqualTo(6.0);
    assertThatThrownBy(() -> s.encode(Observation.of(map("R", List.of(1), "Z", List.of(1, "x")))))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(fields(e)).containsExactly("R", "Z"));
  }

  @Test
  void stacksTabularThenTensorFeaturesInSchemaOrder() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"A\",\"type\":\"number\"},{\"name\":\"S\",\"type\":\"series\",\"window\":2},"
                + "{\"name\":\"B\",\"type\":\"boolean\"}]");
    List<TensorData> t =
        s.stack(
            List.of(
                s.encode(Observation.of(map("A", 1, "S", List.of(1, 2), "B", true))),
                s.encode(Observation.of(map("A", 2, "S", List.of(3, 4), "B", false)))));
    assertThat(t).hasSize(2);
    assertThat(t.get(0).shape()).containsExactly(2, 2);
    assertThat(t.get(0).floats()).containsExactly(1f, 1f, 2f, 0f);
    assertThat(t.get(1).floats()).containsExactly(1f, 2f, 3f, 4f);
  }

  @Test
  void manifestProblemsAreAllReportedWithTheirPath() throws Exception {
    List<Violation> problems = new ArrayList<>();
    InputSchema.parse(
        ("[{\"name\":\"A\",\"type\":\"numbr\"},{\"name\":\"B\",\"type\":\"category\",\"categories\":[]},"
            + "{\"name\":\"C\",\"type\":\"number\",\"nullable\":true},{\"type\":\"number\"},"
            + "{\"name\":\"T\",\"type\":\"text\",\"tokenizer\":{\"vocabulary\":\"missing.txt\",\"max_length\":4}}]"),
        dir,
        problems);
    assertThat(problems)
        .extracting(Violation::toString)
        .containsExactly(
            "inputs[0] (A).type: unknown feature type 'numbr'; expected number, integer, boolean,"
                + " category, datetime, text, image or series",
            "inputs[1] (B).categories: must be a non-empty array",
            "inputs[2] (C).impute: is required for a nullable number",
            "inputs[3].name: is required",
            "inputs[4] (T).tokenizer.vocabulary: file 'missing.txt' not found in the model folder");
  }

  @Test
  void jsonSchemaNamesRequiredFieldsAndTypes() throws Exception {
    InputSchema s =
        schema(
            "[{\"name\":\"A\",\"type\":\"integer\",\"min\":1},{\"name\":\"B\",\"type\":\"category\",\"categories\":[\"x\"],\"nullable\":true}]");
    Map<String, Object> js = s.jsonSchema();
    assertThat(js.get("required")).isEqualTo(List.of("A"));
    assertThat(Json.mapper().writeValueAsString(js.get("properties")))
        .contains("\"A\":{\"type\":\"integer\",\"minimum\":1")
        .contains("\"enum\":[\"x\",null]");
    s.encode(s.exampleObservation());
  }
}
