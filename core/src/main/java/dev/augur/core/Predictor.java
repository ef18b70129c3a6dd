package dev.augur.core;

import dev.augur.core.internal.DjlPredictor;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.PredictorOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * One loaded model version that turns observations into predictions. Thread-safe: share one
 * instance between all threads. Validates every observation against the manifest's input schema
 * before the model sees it. Owns native memory: {@link #close()} releases it (idempotent).
 *
 * <pre>{@code
 * try (Predictor titanic = Predictor.load(Path.of("samples/models/titanic/1"))) {
 *   Prediction p = titanic.predict(Observation.of(
 *       Map.of("gender", "male", "age", 22.0, "class", "3rd", "embarked", "S")));
 *   System.out.println(p.fields()); // {label=died, probabilities={died=…, survived=…}, proba=…}
 * }
 * }</pre>
 */
public interface Predictor extends AutoCloseable {

  /**
   * Loads the model package in {@code versionDir} (holding {@code model.json} and its artifact)
   * with the manifest's batching settings, and warms it up with its example.
   *
   * @throws ModelLoadException when the manifest is invalid or the artifact cannot be loaded
   */
  static Predictor load(Path versionDir) {
    return load(versionDir, PredictorOptions.defaults());
  }

  /**
   * Loads a model package with explicit options: the one front door for loading. The DJL engine
   * behind it does not know this interface, so the dependency points one way.
   *
   * @throws ModelLoadException when the manifest is invalid or the artifact cannot be loaded
   */
  static Predictor load(Path versionDir, PredictorOptions options) {
    DjlPredictor engine = DjlPredictor.load(versionDir, options);
    return new Predictor() {
      @Override
      public ModelManifest manifest() {
        return engine.manifest();
      }

      @Override
      public Prediction predict(Observation observation) {
        return engine.predict(observation);
      }

      @Override
      public List<Prediction> predictBatch(List<Observation> observations) {
        return engine.predictBatch(observations);
      }

      @Override
      public void close() {
        engine.close();
      }

      @Override
      public String toString() {
        return "Predictor[" + engine.manifest().name() + "/" + engine.manifest().version() + "]";
      }
    };
  }

  /** The model's manifest: name, version, task, input schema, output. */
  ModelManifest manifest();

  /**
   * Predicts one observation.
   *
   * @throws InvalidInputException listing every schema violation, each with its field name
   * @throws OverloadedException when the micro-batching queue is full
   * @throws PredictionException when the engine fails
   */
  Prediction predict(Observation observation);

  /**
   * Predicts several observations in one forward pass; results in input order. Violations name
   * their instance, e.g. {@code instances[3].Age}.
   */
  List<Prediction> predictBatch(List<Observation> observations);

  /** Releases the model and its native memory; later calls fail. Idempotent. */
  @Override
  void close();
}
