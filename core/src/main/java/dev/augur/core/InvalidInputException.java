package dev.augur.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An observation (or another user-given input) broke its schema. Carries every violation found,
 * each naming its field, so a caller can fix them all at once. The HTTP server answers 422.
 */
public class InvalidInputException extends AugurException {
  private static final long serialVersionUID = 1L;
  private final List<Violation> violations;

  /** Creates the exception from at least one violation. */
  public InvalidInputException(List<Violation> violations) {
    super(summary(violations));
    this.violations = List.copyOf(violations);
  }

  /** Creates the exception for one field. */
  public InvalidInputException(String field, String message) {
    this(List.of(new Violation(field, message)));
  }

  /** Every violation, in field order. */
  public List<Violation> violations() {
    return violations;
  }

  private static String summary(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one violation");
    }
    return violations.size() == 1
        ? "invalid input: " + violations.get(0)
        : violations.size()
            + " invalid fields: "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }
}
