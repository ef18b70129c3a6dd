package dev.augur.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.InvalidManifestException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.Task;
import dev.augur.core.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
  @TempDir Path dir;

  private Path write(String json) throws Exception {
    Files.writeString(dir.resolve("model.json"), json);
    Files.write(dir.resolve("model.pt"), new byte[] {1});
    return dir;
  }

  private static final String INPUTS =
      "\"inputs\":[{\"name\":\"Age\",\"type\":\"number\",\"nullable\":true,\"impute\":28.0},"
          + "{\"name\":\"Sex\",\"type\":\"category\",\"categories\":[\"male\",\"female\"]}]";

  @Test
  void readsTheDocumentedFormWithDefaults() throws Exception {
    ModelManifest m =
        ModelManifest.read(
            write(
                "{\"name\":\"titanic\",\"version\":\"1\",\"task\":\"binary_classification\",\"artifact\":\"model.pt\","
                    + INPUTS
                    + ",\"output\":{\"labels\":[\"died\",\"survived\"],\"positive\":\"survived\",\"activation\":\"softmax\"},"
                    + "\"batching\":{\"max_batch_size\":32,\"max_delay_ms\":2},\"training\":{\"metrics\":{\"acc\":0.8}},"
                    + "\"example\":{\"Age\":22.0,\"Sex\":\"male\"}}"));
    assertThat(m.name()).isEqualTo("titanic");
    assertThat(m.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
    assertThat(m.output().positive()).contains("survived");
    assertThat(m.batching()).isEqualTo(new Batching(32, 2));
    assertThat(m.example()).isPresent();
    assertThat(m.raw()).containsKey("training");
    assertThat(m.inputs().features()).hasSize(2);
  }

  @Test
  void onlyTheRequiredFieldsAreNeeded() throws Exception {
    ModelManifest m =
        ModelManifest.read(
            write(
                "{\"name\":\"r\",\"version\":\"2\",\"task\":\"regression\",\"artifact\":\"model.pt\","
                    + INPUTS
                    + ",\"output\":{}}"));
    assertThat(m.batching()).isEqualTo(Batching.OFF);
    assertThat(m.example()).isEmpty();
    assertThat(m.exampleOrDefault().values()).containsKeys("Age", "Sex");
  }

  @Test
  void reportsEveryProblemWithItsField() throws Exception {
    Path d =
        write(
            "{\"version\":\"1\",\"task\":\"classify\",\"artifact\":\"missing.pt\","
                + "\"inputs\":[{\"name\":\"A\",\"type\":\"number\",\"nullable\":true}],"
                + "\"output\":{\"activation\":\"relu\"},\"batching\":{\"max_batch_size\":0}}");
    assertThatThrownBy(() -> ModelManifest.read(d))
        .isInstanceOfSatisfying(
            InvalidManifestException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly(
                        "name", "task", "artifact", "inputs[0] (A).impute", "batching"));
  }

  @Test
  void classificationNeedsLabelsAndAValidPositive() throws Exception {
    Path d =
        write(
            "{\"name\":\"c\",\"version\":\"1\",\"task\":\"binary_classification\",\"artifact\":\"model.pt\","
                + INPUTS
                + ",\"output\":{\"labels\":[\"a\",\"b\"],\"positive\":\"c\"}}");
    assertThatThrownBy(() -> ModelManifest.read(d))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("output.positive: must be one of the labels [a, b]");
  }

  @Test
  void anInvalidExampleIsAManifestError() throws Exception {
    Path d =
        write(
            "{\"name\":\"c\",\"version\":\"1\",\"task\":\"regression\",\"artifact\":\"model.pt\","
                + INPUTS
                + ",\"output\":{},\"example\":{\"Age\":1,\"Sex\":\"robot\"}}");
    assertThatThrownBy(() -> ModelManifest.read(d))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("example.Sex: unknown category 'robot'");
  }

  @Test
  void forecastNeedsHorizonAndASeries() throws Exception {
    Path d =
        write(
            "{\"name\":\"f\",\"version\":\"1\",\"task\":\"forecast\",\"artifact\":\"model.pt\","
                + INPUTS
                + ",\"output\":{}}");
    assertThatThrownBy(() -> ModelManifest.read(d))
        .isInstanceOfSatisfying(
            InvalidManifestException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("output.horizon", "inputs"));
  }

  @Test
  void malformedJsonAndMissingFileAreClear() throws Exception {
    Files.writeString(dir.resolve("model.json"), "{\"name\": ");
    assertThatThrownBy(() -> ModelManifest.read(dir))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("model.json: is not valid JSON");
    assertThatThrownBy(() -> ModelManifest.read(dir.resolve("nope")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("cannot read");
  }
}
