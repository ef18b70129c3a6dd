package dev.augur.core.testing;

import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import java.nio.file.Path;

/**
 * The child JVM of {@code OnnxWithoutLibtorchTest}: loads one ONNX package with {@link
 * Predictor#load}, predicts its example and prints the prediction and where ONNX Runtime came from.
 * Exits 3 when the PyTorch engine is on its classpath (the test would prove nothing then).
 */
public final class OnnxOnlyMain {
  private OnnxOnlyMain() {}

  /** {@code OnnxOnlyMain VERSION_DIR}. */
  public static void main(String[] args) throws Exception {
    try {
      Class.forName("ai.djl.pytorch.engine.PtEngine");
      System.out.println("pytorch engine on the classpath");
      System.exit(3);
    } catch (ClassNotFoundException expected) {
      System.out.println("pytorch engine absent");
    }
    try (Predictor p = Predictor.load(Path.of(args[0]))) {
      Observation example = p.manifest().exampleOrDefault();
      Prediction prediction = p.predict(example);
      System.out.println("prediction " + prediction.fields());
    }
    Class<?> ort = Class.forName("ai.onnxruntime.OrtEnvironment");
    System.out.println(
        "onnxruntime from " + ort.getProtectionDomain().getCodeSource().getLocation());
  }
}
