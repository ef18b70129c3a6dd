package dev.augur.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.InvalidInputException;
import dev.augur.core.InvalidManifestException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.Observation;
import dev.augur.core.Task;
import dev.augur.core.Violation;
import dev.augur.core.internal.Json;
import dev.augur.core.schema.FeatureType;
import dev.augur.core.schema.InputSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a {@code model.json}, collecting every problem with its field name. */
final class ManifestReader {
  static final String FILE = "model.json";

  private static final Set<String> TOP_KEYS =
      Set.of(
          "name",
          "version",
          "task",
          "engine",
          "artifact",
          "description",
          "inputs",
          "output",
          "batching",
          "training",
          "example");
  private static final Set<String> OUTPUT_KEYS =
      Set.of("labels", "positive", "activation", "scale", "horizon", "tensor");
  private static final Set<String> BATCHING_KEYS = Set.of("max_batch_size", "max_delay_ms");
  private static final Set<String> FEATURE_KEYS =
      Set.of(
          "name",
          "type",
          "description",
          "nullable",
          "impute",
          "scale",
          "min",
          "max",
          "categories",
          "parts",
          "timezone",
          "tokenizer",
          "max_chars",
          "max_bytes",
          "width",
          "height",
          "channels",
          "mean",
          "std",
          "window",
          "transform");
  private static final Set<String> TOKENIZER_KEYS =
      Set.of("type", "vocabulary", "lowercase", "max_length", "pad_id", "unknown_id");

  private ManifestReader() {}

  static ModelManifest read(Path versionDir) {
    Path file = versionDir.resolve(FILE);
    String location = file.toString();
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new InvalidManifestException(
          location,
          List.of(new Violation("model.json", "is not valid JSON: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + location + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidManifestException(
          location, List.of(new Violation("model.json", "must be a JSON object")));
    }
    List<Violation> problems = new ArrayList<>();
    String name = required(root, "name", problems);
    String version = required(root, "version", problems);
    String artifact = required(root, "artifact", problems);
    Task task = null;
    String taskId = required(root, "task", problems);
    if (taskId != null) {
      try {
        task = Task.fromId(taskId);
      } catch (IllegalArgumentException e) {
        problems.add(new Violation("task", e.getMessage()));
      }
    }
    Engine engine = engine(root.get("engine"), problems);
    if (artifact != null) {
      Path a = versionDir.resolve(artifact).normalize();
      if (!a.startsWith(versionDir.normalize()) || !Files.isRegularFile(a)) {
        problems.add(
            new Violation("artifact", "file '" + artifact + "' not found in " + versionDir));
      }
    }
    // the inputs' own JSON text: the schema's reader takes no Jackson type (a missing array reads
    // as null, which it reports)
    InputSchema inputs =
        InputSchema.parse(String.valueOf(root.get("inputs")), versionDir, problems);
    OutputSpec output = task == null ? null : output(root.get("output"), task, inputs, problems);
    Batching batching = batching(root.get("batching"), problems);
    Optional<Observation> example = Optional.empty();
    JsonNode ex = root.get("example");
    if (ex != null && !ex.isNull()) {
      if (!ex.isObject()) {
        problems.add(new Violation("example", "must be an object (an observation)"));
      } else {
        Observation obs = Observation.of(Json.toMap(ex));
        if (problems.isEmpty()) {
          try {
            inputs.encode(obs);
          } catch (InvalidInputException e) {
            for (Violation v : e.violations()) {
              problems.add(new Violation("example." + v.field(), v.message()));
            }
          }
        }
        example = Optional.of(obs);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidManifestException(location, problems);
    }
    String description = root.path("description").asText("");
    Map<String, Object> raw = Json.toMap(root);
    List<Violation> warnings = unknownKeys(root);
    return new ModelManifest(
        name,
        version,
        task,
        engine,
        artifact,
        description,
        inputs,
        output,
        batching,
        example,
        raw,
        versionDir,
        warnings);
  }

  private static Engine engine(JsonNode e, List<Violation> problems) {
    if (e == null || e.isNull()) {
      return Engine.PYTORCH;
    }
    Optional<Engine> engine = e.isTextual() ? Engine.fromId(e.asText()) : Optional.empty();
    if (engine.isEmpty()) {
      problems.add(
          new Violation(
              "engine",
              "unsupported engine "
                  + e
                  + "; expected "
                  + Arrays.stream(Engine.values()).map(Engine::id).toList()));
      return Engine.PYTORCH;
    }
    return engine.get();
  }

  /**
   * Keys Augur does not read, each a warning: a typo such as {@code batchng} would otherwise
   * silently turn batching off.
   */
  private static List<Violation> unknownKeys(JsonNode root) {
    List<Violation> warnings = new ArrayList<>();
    unknown(root, "", TOP_KEYS, warnings);
    JsonNode output = root.get("output");
    if (output != null && output.isObject()) {
      unknown(output, "output.", OUTPUT_KEYS, warnings);
    }
    JsonNode batching = root.get("batching");
    if (batching != null && batching.isObject()) {
      unknown(batching, "batching.", BATCHING_KEYS, warnings);
    }
    JsonNode inputs = root.get("inputs");
    if (inputs != null && inputs.isArray()) {
      for (int i = 0; i < inputs.size(); i++) {
        JsonNode f = inputs.get(i);
        if (f.isObject()) {
          String prefix =
              "inputs["
                  + i
                  + "]"
                  + (f.path("name").isTextual() ? " (" + f.get("name").asText() + ")" : "")
                  + ".";
          unknown(f, prefix, FEATURE_KEYS, warnings);
          JsonNode tk = f.get("tokenizer");
          if (tk != null && tk.isObject()) {
            unknown(tk, prefix + "tokenizer.", TOKENIZER_KEYS, warnings);
          }
        }
      }
    }
    return warnings;
  }

  private static void unknown(
      JsonNode node, String prefix, Set<String> known, List<Violation> warnings) {
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!known.contains(k)) {
                String hint =
                    known.stream()
                        .filter(c -> editDistance(c, k) <= 2)
                        .findFirst()
                        .map(c -> " (did you mean '" + c + "'?)")
                        .orElse("");
                warnings.add(new Violation(prefix + k, "unknown key, ignored" + hint));
              }
            });
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String required(JsonNode root, String key, List<Violation> problems) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
      problems.add(new Violation(key, "is required"));
      return null;
    }
    return v.asText();
  }

  private static OutputSpec output(
      JsonNode o, Task task, InputSchema inputs, List<Violation> problems) {
    if (o == null || !o.isObject()) {
      problems.add(new Violation("output", "is required (an object)"));
      return null;
    }
    List<String> labels = new ArrayList<>();
    JsonNode l = o.get("labels");
    if (task.isClassification()) {
      if (l == null || !l.isArray() || l.size() < 2) {
        problems.add(
            new Violation("output.labels", "must list at least two labels for " + task.id()));
      } else {
        for (JsonNode x : l) {
          labels.add(x.asText());
        }
        if (new HashSet<>(labels).size() != labels.size()) {
          problems.add(new Violation("output.labels", "must not repeat a label"));
        }
        if (task == Task.BINARY_CLASSIFICATION && labels.size() != 2) {
          problems.add(
              new Violation(
                  "output.labels", "must hold exactly two labels for binary_classification"));
        }
      }
    }
    Optional<String> positive = Optional.empty();
    if (task == Task.BINARY_CLASSIFICATION && labels.size() == 2) {
      String p = o.path("positive").asText(labels.get(1));
      if (!labels.contains(p)) {
        problems.add(new Violation("output.positive", "must be one of the labels " + labels));
      }
      positive = Optional.of(p);
    }
    String act = o.path("activation").asText(task.isClassification() ? "softmax" : "none");
    Activation activation = null;
    for (Activation a : Activation.values()) {
      if (a.id().equals(act)) {
        activation = a;
      }
    }
    if (activation == null) {
      problems.add(
          new Violation(
              "output.activation",
              "unknown activation '" + act + "'; expected softmax, sigmoid or none"));
      activation = Activation.NONE;
    } else if (activation == Activation.SIGMOID && task != Task.BINARY_CLASSIFICATION) {
      problems.add(new Violation("output.activation", "sigmoid needs binary_classification"));
    } else if (activation != Activation.NONE && !task.isClassification()) {
      problems.add(new Violation("output.activation", "must be none for " + task.id()));
    }
    Optional<Scale> scale = Optional.empty();
    JsonNode s = o.get("scale");
    if (s != null && !s.isNull()) {
      if (!s.path("mean").isNumber() || !(s.path("std").asDouble() > 0)) {
        problems.add(
            new Violation("output.scale", "must be {\"mean\": number, \"std\": positive number}"));
      } else if (task != Task.REGRESSION) {
        problems.add(new Violation("output.scale", "applies to regression only"));
      } else {
        scale = Optional.of(new Scale(s.get("mean").asDouble(), s.get("std").asDouble()));
      }
    }
    int horizon = 0;
    if (task == Task.FORECAST) {
      horizon = o.path("horizon").asInt(0);
      if (horizon < 1) {
        problems.add(new Violation("output.horizon", "must be a positive integer for forecast"));
      }
      if (inputs.features().stream().noneMatch(f -> f.type() == FeatureType.SERIES)) {
        problems.add(new Violation("inputs", "a forecast model needs a series feature"));
      }
    }
    return new OutputSpec(
        labels, positive, activation, scale, horizon, tensor(o.get("tensor"), problems));
  }

  private static OutputTensor tensor(JsonNode t, List<Violation> problems) {
    if (t == null || t.isNull()) {
      return OutputTensor.FIRST;
    }
    if (t.isTextual() && !t.asText().isBlank()) {
      return OutputTensor.named(t.asText());
    }
    if (t.isIntegralNumber() && t.canConvertToInt() && t.asInt() >= 0) {
      return OutputTensor.at(t.asInt());
    }
    problems.add(
        new Violation(
            "output.tensor",
            "must name one of the model's outputs (e.g. \"probabilities\") or be its 0-based"
                + " index"));
    return OutputTensor.FIRST;
  }

  private static Batching batching(JsonNode b, List<Violation> problems) {
    if (b == null || b.isNull()) {
      return Batching.OFF;
    }
    try {
      return new Batching(b.path("max_batch_size").asInt(1), b.path("max_delay_ms").asDouble(0));
    } catch (IllegalArgumentException e) {
      problems.add(new Violation("batching", e.getMessage()));
      return Batching.OFF;
    }
  }
}
