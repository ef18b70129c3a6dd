package dev.augur.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The inference engine a model package names in {@code engine}. Each runs through DJL; the engine
 * itself is a dependency the application chooses ({@code augur-core} depends on the DJL API only).
 */
public enum Engine {
  /**
   * TorchScript ({@code torch.jit.trace} / {@code script} + {@code save}), artifact {@code *.pt}.
   */
  PYTORCH(
      "PyTorch",
      "pytorch_torchscript",
      "ai.djl.pytorch:pytorch-engine with ai.djl.pytorch:pytorch-native-cpu (or a CUDA build)"),
  /**
   * An ONNX graph ({@code torch.onnx.export}, {@code skl2onnx}, {@code tf2onnx}, {@code
   * onnxmltools}), artifact {@code *.onnx}, including the {@code ai.onnx.ml} operators.
   */
  ONNX_RUNTIME(
      "OnnxRuntime",
      "onnxruntime_onnx",
      "ai.djl.onnxruntime:onnxruntime-engine (it brings com.microsoft.onnxruntime:onnxruntime)");

  private final String id;
  private final String platform;
  private final String artifacts;

  Engine(String id, String platform, String artifacts) {
    this.id = id;
    this.platform = platform;
    this.artifacts = artifacts;
  }

  /** The name in {@code model.json} and DJL's engine name: {@code PyTorch}, {@code OnnxRuntime}. */
  public String id() {
    return id;
  }

  /**
   * The Open Inference Protocol platform of the model metadata: {@code pytorch_torchscript} or
   * {@code onnxruntime_onnx}.
   */
  public String platform() {
    return platform;
  }

  /** The Maven artifacts an application adds to run this engine, for error messages. */
  public String artifacts() {
    return artifacts;
  }

  /** The engine named {@code id}, ignoring case. */
  public static Optional<Engine> fromId(String id) {
    String k = id.toLowerCase(Locale.ROOT);
    for (Engine e : values()) {
      if (e.id.toLowerCase(Locale.ROOT).equals(k)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return id;
  }
}
