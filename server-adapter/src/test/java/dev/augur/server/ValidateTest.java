package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code augur-server validate DIR}: every package loaded and tried, every problem named. */
class ValidateTest {
  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private static Run validate(Path models) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exit = new CommandLine(new Validate(out)).execute(models.toString());
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aHealthyFolderPrintsEachModelsSchemaAndCurlLineAndExitsZero() {
    Path models =
        Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid", "onnx_logreg_binary");
    Run r = validate(models);
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("onnx_logreg_binary/1: ok (binary_classification, OnnxRuntime)")
        .contains("tab_binary_sigmoid/1: ok (binary_classification, PyTorch)")
        .contains("predicts: {\"label\":\"died\"")
        .contains("\"properties\" : {")
        .contains("\"Pclass\" : {")
        .contains(
            "try: curl -s localhost:8080/models/onnx_logreg_binary/predict -H 'Content-Type:"
                + " application/json' -d '{\"observation\":{\"Age\":22.0")
        .contains("ok: 2 model version(s)");
  }

  @Test
  void everyProblemIsNamedAndTheExitIsOne() throws Exception {
    Path models =
        Fixtures.repositoryOf(dir.resolve("models"), "tab_binary_sigmoid", "onnx_logreg_binary");
    // a broken artifact, a version that is not its folder's, an unknown key (only a warning)
    Path broken = Files.createDirectories(models.resolve("state_dict/1"));
    try (var files = Files.list(Fixtures.broken("state_dict"))) {
      for (Path p : files.toList()) {
        Files.copy(p, broken.resolve(p.getFileName()));
      }
    }
    Files.move(models.resolve("tab_binary_sigmoid/1"), models.resolve("tab_binary_sigmoid/7"));
    Path m = models.resolve("onnx_logreg_binary/1/model.json");
    Files.writeString(m, Files.readString(m).replace("\"batching\":", "\"batchng\":"));
    Run r = validate(models);
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .contains("warning: model.json batchng: unknown key, ignored (did you mean 'batching'?)")
        .contains("state_dict/1: FAILED")
        .contains("model.pt is a torch.save checkpoint or state dict, not TorchScript")
        .contains("tab_binary_sigmoid/7: FAILED")
        .contains("version '1' does not match its folder '7': set \"version\": \"7\"")
        .contains("2 problem(s) in ");
  }

  @Test
  void aMissingFolderExitsTwo() {
    assertThat(validate(dir.resolve("nope")).exit()).isEqualTo(2);
  }
}
