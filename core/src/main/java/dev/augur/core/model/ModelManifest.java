package dev.augur.core.model;

import dev.augur.core.Observation;
import dev.augur.core.Task;
import dev.augur.core.Violation;
import dev.augur.core.schema.InputSchema;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code model.json}: what a model package is and how to call it. Immutable.
 *
 * @param name the model name
 * @param version the version (a folder name under the model)
 * @param task what the model predicts
 * @param engine the engine that runs the artifact
 * @param artifact the artifact file, relative to {@link #directory()}
 * @param description a sentence for people, possibly empty
 * @param inputs the input schema
 * @param output how outputs are decoded
 * @param batching micro-batching settings ({@link Batching#OFF} when absent)
 * @param example the example observation, if the manifest has one
 * @param raw the whole manifest as JSON-like values, for publishing its other fields
 * @param directory the folder holding the manifest
 * @param warnings what in the manifest Augur ignores (unknown keys), each with its field
 */
public record ModelManifest(
    String name,
    String version,
    Task task,
    Engine engine,
    String artifact,
    String description,
    InputSchema inputs,
    OutputSpec output,
    Batching batching,
    Optional<Observation> example,
    Map<String, Object> raw,
    Path directory,
    List<Violation> warnings) {

  /** Checks every part is present and freezes {@code raw}. */
  public ModelManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(example, "example");
    raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(engine, "engine");
    warnings = List.copyOf(warnings);
  }

  /**
   * Reads and validates {@code versionDir/model.json}.
   *
   * @throws dev.augur.core.InvalidManifestException listing every problem with its field
   * @throws dev.augur.core.ModelLoadException when the file cannot be read
   */
  public static ModelManifest read(Path versionDir) {
    return ManifestReader.read(versionDir);
  }

  /** The example observation, or one built from the schema. */
  public Observation exampleOrDefault() {
    return example.orElseGet(inputs::exampleObservation);
  }

  /** The artifact's path. */
  public Path artifactPath() {
    return directory.resolve(artifact);
  }
}
