package dev.augur.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of a model's outputs holds the scores or values: the manifest's {@code output.tensor}, a
 * name ({@code "probabilities"}) or a 0-based index (default 0). scikit-learn classifiers exported
 * by {@code skl2onnx} emit {@code label} then {@code probabilities}, so they name {@code
 * "probabilities"} (or index 1).
 *
 * @param name the output's name, when chosen by name
 * @param index the output's index, when chosen by index (0 when chosen by name)
 */
public record OutputTensor(Optional<String> name, int index) {
  /** The first output: what a manifest without {@code output.tensor} means. */
  public static final OutputTensor FIRST = new OutputTensor(Optional.empty(), 0);

  /** Checks the index. */
  public OutputTensor {
    Objects.requireNonNull(name, "name");
    if (index < 0) {
      throw new IllegalArgumentException("output tensor index must be at least 0");
    }
  }

  /** The output named {@code name}. */
  public static OutputTensor named(String name) {
    return new OutputTensor(Optional.of(name), 0);
  }

  /** The output at {@code index}. */
  public static OutputTensor at(int index) {
    return new OutputTensor(Optional.empty(), index);
  }

  /**
   * The position of this output among a model's outputs, or -1 when it has no such output.
   *
   * @param names the model's output names in order; an unnamed output is {@code null}
   */
  public int resolve(List<String> names) {
    if (name.isPresent()) {
      return names.indexOf(name.get());
    }
    return index < names.size() ? index : -1;
  }

  /** {@code "probabilities"} or {@code 1}, as the manifest writes it. */
  @Override
  public String toString() {
    return name.map(n -> '"' + n + '"').orElse(Integer.toString(index));
  }
}
