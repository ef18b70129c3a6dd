package dev.augur.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.augur.core.AugurException;
import dev.augur.core.Observation;
import dev.augur.core.Predictor;
import dev.augur.core.Violation;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.ModelRegistry;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.source.Sources;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code augur-server validate DIR}: loads every package of a model folder as the server would,
 * predicts each manifest's example, and prints per model its input JSON Schema and a curl line to
 * try it. Exits 0 when every package loads, 1 naming every problem (2 when the folder does not
 * exist). Unknown manifest keys are warnings and do not fail it.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Loads every model package of DIR, predicts each example, prints each model's input JSON"
            + " Schema and a curl line; exits 1 naming every problem.")
final class Validate implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "DIR",
      defaultValue = "${env:AUGUR_MODELS:-./models}",
      description = "model folder (NAME/VERSION/model.json) [env AUGUR_MODELS; default ./models]")
  Path models;

  private final PrintStream out;

  Validate() {
    this(System.out);
  }

  Validate(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (!Files.isDirectory(models)) {
      out.println("augur-server validate: the model folder " + models + " does not exist");
      return 2;
    }
    quietLogs();
    List<String> problems = new ArrayList<>();
    try {
      Sources.read(models).close();
    } catch (AugurException e) {
      problems.add(Sources.FILE_NAME + ": " + e.getMessage());
    }
    int versions = 0;
    try (ModelRegistry registry =
        ModelRegistry.builder(models)
            .options(PredictorOptions.builder().poolSize(1).build())
            .keepGoing(true)
            .open()) {
      for (String name : registry.names()) {
        for (String version : registry.versions(name)) {
          versions++;
          report(registry.predictor(name, version), problems);
        }
      }
      for (ModelRegistry.LoadFailure f : registry.failures()) {
        versions++;
        out.println(f.model() + "/" + f.version() + ": FAILED");
        out.println("  " + f.error().replace("\n", "\n  "));
        out.println();
        problems.add(f.model() + "/" + f.version() + ": " + f.error());
      }
    } catch (AugurException e) {
      problems.add(e.getMessage());
    }
    if (problems.isEmpty()) {
      out.println("ok: " + versions + " model version(s) in " + models + " load and predict");
      return 0;
    }
    out.println(problems.size() + " problem(s) in " + models + ":");
    problems.forEach(p -> out.println("- " + p.replace("\n", "\n  ")));
    return 1;
  }

  /** One loaded version: its warnings, its example's prediction, its schema and a curl line. */
  private void report(Predictor p, List<String> problems) {
    ModelManifest m = p.manifest();
    String where = m.name() + "/" + m.version();
    out.println(where + ": ok (" + m.task().id() + ", " + m.engine().id() + ")");
    for (Violation w : m.warnings()) {
      out.println("  warning: model.json " + w.field() + ": " + w.message());
    }
    Observation example = m.exampleOrDefault();
    try {
      out.println("  example: " + json(example.values(), false));
      out.println("  predicts: " + json(p.predict(example).fields(), false));
    } catch (AugurException e) {
      problems.add(where + ": the example does not predict: " + e.getMessage());
      out.println("  the example does not predict: " + e.getMessage());
    }
    out.println("  input schema:");
    out.println("    " + json(m.inputs().jsonSchema(), true).replace("\n", "\n    "));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("observation", example.values());
    out.println(
        "  try: curl -s localhost:8080/models/"
            + m.name()
            + "/predict -H 'Content-Type: application/json' -d '"
            + json(body, false).replace("'", "'\\''")
            + "'");
    out.println();
  }

  private static String json(Object value, boolean pretty) {
    ObjectMapper mapper = Json.mapper();
    try {
      return pretty
          ? mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value)
          : mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The report says everything the logs would: only errors of the libraries stay on. */
  static void quietLogs() {
    try {
      if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext c) {
        c.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.OFF);
      }
    } catch (NoClassDefFoundError e) {
      // another slf4j binding: leave it as configured
    }
  }
}
