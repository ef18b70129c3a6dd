package dev.augur.core.schema;

import dev.augur.core.InvalidInputException;
import dev.augur.core.Violation;
import java.util.ArrayList;
import java.util.List;

/** Collects every violation of one observation or manifest so they can be reported together. */
final class Violations {
  private final String prefix;
  private final List<Violation> list = new ArrayList<>();

  Violations(String prefix) {
    this.prefix = prefix;
  }

  void add(String field, String message) {
    list.add(new Violation(prefix + field, message));
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<Violation> list() {
    return list;
  }

  void throwIfAny() {
    if (!list.isEmpty()) {
      throw new InvalidInputException(list);
    }
  }
}
