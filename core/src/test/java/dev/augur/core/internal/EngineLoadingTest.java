package dev.augur.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.Classification;
import dev.augur.core.ModelLoadException;
import dev.augur.core.PredictionException;
import dev.augur.core.Predictor;
import dev.augur.core.model.Engine;
import dev.augur.core.model.OutputTensor;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both engines through the one loading path: output selection, and the load errors that say what to
 * do. Every failed load leaves no native model open.
 */
class EngineLoadingTest {
  @TempDir Path dir;
  private int openBefore;

  @BeforeEach
  void count() {
    openBefore = DjlPredictor.openModels();
  }

  @AfterEach
  void nothingLeaks() {
    assertThat(DjlPredictor.openModels()).as("models left open").isEqualTo(openBefore);
  }

  @Test
  void onnxAndTorchScriptChooseTheirOutputByNameOrIndex() {
    try (Predictor forest = Predictor.load(Fixtures.model("onnx_forest_multiclass"));
        Predictor logreg = Predictor.load(Fixtures.model("onnx_logreg_binary"));
        Predictor dict = Predictor.load(Fixtures.model("torch_dict_output"));
        Predictor tuple = Predictor.load(Fixtures.model("torch_tuple_output"))) {
      assertThat(forest.manifest().engine()).isEqualTo(Engine.ONNX_RUNTIME);
      assertThat(forest.manifest().output().tensor()).isEqualTo(OutputTensor.at(1));
      assertThat(logreg.manifest().output().tensor())
          .isEqualTo(OutputTensor.named("probabilities"));
      assertThat(dict.manifest().engine()).isEqualTo(Engine.PYTORCH);
      assertThat(dict.manifest().output().tensor()).isEqualTo(OutputTensor.named("logits"));
      assertThat(tuple.manifest().output().tensor()).isEqualTo(OutputTensor.at(1));
      Classification c = (Classification) forest.predict(forest.manifest().exampleOrDefault());
      assertThat(c.label()).isEqualTo("setosa");
    }
  }

  @Test
  void aTorchSaveStateDictOrCheckpointSaysToExportWithTrace() {
    for (String name : new String[] {"state_dict", "checkpoint"}) {
      assertThatThrownBy(() -> Predictor.load(Fixtures.broken(name)))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining(
              "model.pt is a torch.save checkpoint or state dict, not TorchScript")
          .hasMessageContaining("torch.jit.trace(model, example_input).save(");
    }
  }

  @Test
  void anOpsetNewerThanTheRuntimeNamesBothAndWhatToDo() {
    assertThatThrownBy(() -> Predictor.load(Fixtures.broken("opset_too_new")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "the graph uses opset ai.onnx 30, newer than ONNX Runtime 1.21.1 runs (it runs up to"
                + " 22): export again with a lower opset (torch.onnx.export(..., opset_version=17)")
        .hasMessageNotContaining("onnxruntime_src");
  }

  @Test
  void aZipMapOutputSaysToConvertWithZipMapOff() {
    assertThatThrownBy(() -> Predictor.load(Fixtures.broken("zipmap")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("ZipMap")
        .hasMessageContaining("'zipmap': False");
  }

  @Test
  void anOutputIndexOutOfRangeNamesTheOutputs() {
    Path v =
        Fixtures.editedCopy(
            dir, "onnx_logreg_binary", "\"tensor\": \"probabilities\"", "\"tensor\": 5");
    assertThatThrownBy(() -> Predictor.load(v))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "output.tensor 5 is out of range: the model has 2 outputs (\"label\","
                + " \"probabilities\")");
  }

  @Test
  void anOutputNameTheGraphLacksNamesTheOutputs() {
    Path v =
        Fixtures.editedCopy(
            dir, "onnx_logreg_binary", "\"tensor\": \"probabilities\"", "\"tensor\": \"probs\"");
    assertThatThrownBy(() -> Predictor.load(v))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("output.tensor \"probs\" is not among the model's outputs")
        .hasMessageContaining("(\"label\", \"probabilities\")");
  }

  @Test
  void aTorchScriptOutputOutOfRangeFailsTheWarmUpWithTheCount() {
    Path v = Fixtures.editedCopy(dir, "torch_tuple_output", "\"tensor\": 1", "\"tensor\": 2");
    assertThatThrownBy(() -> Predictor.load(v))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("failed its warm-up prediction")
        .hasMessageContaining("output.tensor 2 is out of range: the model has 2 outputs, unnamed");
  }

  @Test
  void choosingTheLabelOutputSaysToChooseTheScores() {
    Path v =
        Fixtures.editedCopy(
            dir, "onnx_logreg_binary", "\"tensor\": \"probabilities\"", "\"tensor\": \"label\"");
    try (Predictor p = Predictor.load(v, PredictorOptions.builder().warmUp(false).build())) {
      assertThatThrownBy(() -> p.predict(p.manifest().exampleOrDefault()))
          .isInstanceOf(PredictionException.class)
          .hasMessageContaining(
              "output \"label\" of 2 outputs (\"label\", \"probabilities\") holds text (class"
                  + " labels), not scores");
    }
  }

  @Test
  void anOutputOfTheWrongWidthSaysToChooseTheScores() {
    Path v = Fixtures.editedCopy(dir, "torch_tuple_output", "\"tensor\": 1", "\"tensor\": 0");
    try (Predictor p = Predictor.load(v, PredictorOptions.builder().warmUp(false).build())) {
      assertThatThrownBy(() -> p.predict(p.manifest().exampleOrDefault()))
          .isInstanceOf(PredictionException.class)
          .hasMessageContaining("returned 8 value(s) per row in output 0 of 2 outputs, unnamed")
          .hasMessageContaining("needs 2: set output.tensor to the output that holds the scores");
    }
  }

  @Test
  void anOnnxGraphUnderThePyTorchEngineSaysToSetOnnxRuntime() {
    Path v =
        Fixtures.editedCopy(
            dir, "onnx_logreg_binary", "\"engine\": \"OnnxRuntime\"", "\"engine\": \"PyTorch\"");
    assertThatThrownBy(() -> Predictor.load(v))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is an ONNX graph, not TorchScript: set \"engine\": \"OnnxRuntime\"");
  }

  @Test
  void aTorchScriptFileUnderOnnxRuntimeSaysToExportWithTorchOnnx() {
    Path v =
        Fixtures.editedCopy(
            dir, "tab_binary_sigmoid", "\"engine\": \"PyTorch\"", "\"engine\": \"OnnxRuntime\"");
    assertThatThrownBy(() -> Predictor.load(v))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is a PyTorch file, not an ONNX graph")
        .hasMessageContaining("torch.onnx.export");
  }

  /** Regression (L9): a check after DJL has loaded the model used to leak the ZooModel. */
  @Test
  void aGraphTakingOtherInputsThanTheSchemaFailsAndClosesTheModel() {
    assertThatThrownBy(() -> Predictor.load(Fixtures.broken("two_inputs")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model.onnx takes 2 input(s) [x, bias]")
        .hasMessageContaining("make 1 tensor(s)");
    // nothingLeaks() checks the count after each test
  }

  @Test
  void unknownManifestKeysAreWarningsWithASuggestion() {
    Path v =
        Fixtures.editedCopy(
            dir,
            "onnx_logreg_binary",
            "\"batching\":",
            "\"colour\": \"blue\",\n  \"batchng\":",
            "\"activation\": \"none\",",
            "\"activation\": \"none\", \"tensr\": 1,");
    try (Predictor p = Predictor.load(v)) {
      assertThat(p.manifest().warnings())
          .extracting(w -> w.field() + ": " + w.message())
          .containsExactlyInAnyOrder(
              "colour: unknown key, ignored",
              "batchng: unknown key, ignored (did you mean 'batching'?)",
              "output.tensr: unknown key, ignored (did you mean 'tensor'?)");
    }
  }
}
