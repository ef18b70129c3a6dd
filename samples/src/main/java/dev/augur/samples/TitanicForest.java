package dev.augur.samples;

/**
 * The scikit-learn Titanic tutorial with its own kind of model: the same flow as {@link Titanic}
 * (predict, record the held-out passengers' outcomes, live quality, a calibration chart) on a
 * scikit-learn random forest served through ONNX Runtime ({@code samples/models/titanic_forest},
 * trained by {@code samples/train/train_titanic_forest.py}).
 *
 * <p>Run from the repository root: {@code mvn -q -DskipTests package && java -cp
 * "samples/target/augur-samples.jar:samples/target/lib/*" dev.augur.samples.TitanicForest}
 */
public final class TitanicForest {
  private TitanicForest() {}

  public static void main(String[] args) {
    Titanic.run("titanic_forest", args);
  }
}
