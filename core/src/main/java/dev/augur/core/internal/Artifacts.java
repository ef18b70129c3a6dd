package dev.augur.core.internal;

import dev.augur.core.ModelLoadException;
import dev.augur.core.model.Engine;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.OutputTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Looks at a model artifact before its engine does, so that the usual mistakes fail with what to do
 * instead of a native library's message: a {@code torch.save} checkpoint or state dict given as
 * TorchScript, an ONNX graph under the wrong engine, a pickled scikit-learn model, a ZipMap output,
 * an opset newer than the runtime's, an {@code output.tensor} the graph does not have.
 */
final class Artifacts {
  private static final String EXPORT_DOC = "see docs/export.md";

  /** ONNX Runtime's refusal of an opset names the newest it runs for that domain. */
  private static final Pattern ORT_OPSET =
      Pattern.compile(
          "Opset (\\d+) is under development.*support for domain (\\S+) is till opset (\\d+)");

  private Artifacts() {}

  /**
   * Checks the artifact's format against the manifest's engine.
   *
   * @return the ONNX graph's description, for an ONNX Runtime model
   * @throws ModelLoadException saying what is wrong and what to do
   */
  static Optional<OnnxGraph> check(ModelManifest m) {
    Path file = m.artifactPath();
    String where = label(m) + ": " + m.artifact();
    Kind kind = kind(file);
    if (m.engine() == Engine.PYTORCH) {
      switch (kind) {
        case TORCHSCRIPT -> {
          return Optional.empty();
        }
        case TORCH_SAVE, PICKLE -> throw new ModelLoadException(where + CHECKPOINT);
        case ONNX ->
            throw new ModelLoadException(
                where + " is an ONNX graph, not TorchScript: set \"engine\": \"OnnxRuntime\"");
        case KERAS -> throw new ModelLoadException(where + KERAS_HINT);
        default ->
            throw new ModelLoadException(
                where
                    + " is not TorchScript: export the model with torch.jit.trace(model, example)"
                    + ".save(\""
                    + m.artifact()
                    + "\") ("
                    + EXPORT_DOC
                    + ")");
      }
    }
    switch (kind) {
      case TORCHSCRIPT, TORCH_SAVE ->
          throw new ModelLoadException(
              where
                  + " is a PyTorch file, not an ONNX graph: export it with torch.onnx.export, or set"
                  + " \"engine\": \"PyTorch\" for TorchScript ("
                  + EXPORT_DOC
                  + ")");
      case PICKLE ->
          throw new ModelLoadException(
              where
                  + " is a Python pickle (joblib or pickle of a scikit-learn model?), not an ONNX"
                  + " graph: convert the fitted estimator with skl2onnx, ZipMap off ("
                  + EXPORT_DOC
                  + ")");
      case KERAS -> throw new ModelLoadException(where + KERAS_HINT);
      default -> {
        // read below
      }
    }
    OnnxGraph g;
    try {
      g = OnnxGraph.read(file);
    } catch (IOException e) {
      throw new ModelLoadException(where + " is not an ONNX model (" + e.getMessage() + ")", e);
    }
    if (g.operators().contains("ZipMap")) {
      throw new ModelLoadException(
          where
              + " ends in a ZipMap (probabilities as a list of maps): convert it with ZipMap off,"
              + " e.g. to_onnx(model, X, options={'zipmap': False}), so that probabilities are a"
              + " float tensor ("
              + EXPORT_DOC
              + ")");
    }
    OutputTensor t = m.output().tensor();
    if (t.resolve(g.outputs()) < 0) {
      throw new ModelLoadException(
          where + ": output.tensor " + t + " " + missing(t, g.outputs().size(), g.outputs()));
    }
    return Optional.of(g);
  }

  /** Why an output tensor was not found, with what the model has. */
  static String missing(OutputTensor t, int count, List<String> names) {
    boolean unnamed = names.stream().allMatch(n -> n == null || n.isEmpty());
    if (t.name().isPresent()) {
      return "is not among the model's outputs: it has "
          + outputs(names)
          + "; name one of them, or give a 0-based index"
          + (unnamed
              ? " (a TorchScript model names its outputs by returning a dict from forward)"
              : "");
    }
    return "is out of range: the model has " + outputs(names) + "; indexes start at 0";
  }

  /** A model's outputs for messages: {@code 2 outputs ("label", "probabilities")}. */
  static String outputs(List<String> names) {
    String count = names.size() + (names.size() == 1 ? " output" : " outputs");
    if (names.stream().allMatch(n -> n == null || n.isEmpty())) {
      return count + ", unnamed";
    }
    StringBuilder list = new StringBuilder();
    for (String n : names) {
      list.append(list.length() == 0 ? "" : ", ").append(n == null ? "(unnamed)" : '"' + n + '"');
    }
    return count + " (" + list + ")";
  }

  /**
   * The message of an engine's load failure: what the engine said and, for an ONNX opset the
   * runtime does not run, what to do instead of its text.
   */
  static String loadFailure(
      ModelManifest m, Optional<OnnxGraph> graph, String runtime, String engineMessage) {
    String head =
        "cannot load "
            + m.artifact()
            + " for "
            + label(m)
            + " with "
            + m.engine().id()
            + " "
            + runtime
            + ": ";
    if (m.engine() == Engine.PYTORCH) {
      return head
          + engineMessage
          + " (TorchScript saved by PyTorch up to "
          + runtime
          + " loads; a file from a newer PyTorch may not: "
          + EXPORT_DOC
          + ")";
    }
    Matcher opset = ORT_OPSET.matcher(engineMessage);
    if (opset.find()) {
      return head
          + "the graph uses opset "
          + opset.group(2)
          + " "
          + opset.group(1)
          + ", newer than ONNX Runtime "
          + runtime
          + " runs (it runs up to "
          + opset.group(3)
          + "): export again with a lower opset (torch.onnx.export(..., opset_version=17);"
          + " skl2onnx to_onnx(..., target_opset={'': 17, 'ai.onnx.ml': 3}); tf2onnx --opset 17)"
          + " or use a newer com.microsoft.onnxruntime:onnxruntime ("
          + EXPORT_DOC
          + ")";
    }
    return head
        + engineMessage
        + graph
            .map(
                g ->
                    " (the graph imports opset "
                        + g.opsetText()
                        + "; written by "
                        + g.producer()
                        + ")")
            .orElse("");
  }

  static String label(ModelManifest m) {
    return "model " + m.name() + " version " + m.version();
  }

  private static final String CHECKPOINT =
      " is a torch.save checkpoint or state dict, not TorchScript: load the weights into the"
          + " model in Python, then save it with torch.jit.trace(model, example_input).save(...)"
          + " (or torch.jit.script), or export it with torch.onnx.export and set \"engine\":"
          + " \"OnnxRuntime\" ("
          + EXPORT_DOC
          + ")";

  private static final String KERAS_HINT =
      " is a Keras/TensorFlow file: convert it to ONNX with tf2onnx (python -m tf2onnx.convert)"
          + " and set \"engine\": \"OnnxRuntime\" ("
          + EXPORT_DOC
          + ")";

  /** What kind of file an artifact is, from its first bytes (and a zip's entries). */
  enum Kind {
    TORCHSCRIPT,
    TORCH_SAVE,
    PICKLE,
    ONNX,
    KERAS,
    OTHER_ZIP,
    OTHER
  }

  static Kind kind(Path file) {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return zipKind(file);
    }
    if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
      return Kind.PICKLE;
    }
    if (n >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
      return Kind.KERAS;
    }
    // ModelProto starts with ir_version (field 1, varint): tag byte 0x08
    if (n >= 2 && head[0] == 0x08) {
      return Kind.ONNX;
    }
    return Kind.OTHER;
  }

  private static Kind zipKind(Path file) {
    boolean code = false;
    boolean data = false;
    boolean keras = false;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        code |= name.contains("/code/") || name.startsWith("code/");
        data |= name.endsWith("data.pkl");
        keras |= name.equals("config.json") || name.endsWith(".weights.h5");
      }
    } catch (IOException e) {
      return Kind.OTHER_ZIP;
    }
    if (code) {
      return Kind.TORCHSCRIPT;
    }
    if (data) {
      return Kind.TORCH_SAVE;
    }
    return keras ? Kind.KERAS : Kind.OTHER_ZIP;
  }
}
