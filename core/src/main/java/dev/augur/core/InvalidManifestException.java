package dev.augur.core;

import java.util.List;
import java.util.stream.Collectors;

/** A {@code model.json} is malformed; carries every problem found, each naming its field. */
public class InvalidManifestException extends ModelLoadException {
  private static final long serialVersionUID = 1L;
  private final List<Violation> violations;

  /** Creates the exception for the manifest at {@code location} with at least one violation. */
  public InvalidManifestException(String location, List<Violation> violations) {
    super(
        "invalid model manifest "
            + location
            + ": "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  /** Every problem found. */
  public List<Violation> violations() {
    return violations;
  }
}
