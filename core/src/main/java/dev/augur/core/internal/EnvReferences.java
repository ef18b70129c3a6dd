package dev.augur.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} in the string values of a JSON tree (the server config file, {@code
 * sources.json}) with the environment variable {@code NAME}, so that secrets stay out of files.
 * {@code $${env:NAME}} stands for the literal text {@code ${env:NAME}}. Keys are never replaced.
 * Internal: not part of the public API.
 */
public final class EnvReferences {
  private static final Pattern REF =
      Pattern.compile("\\$?\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}|\\$\\{env:([^}]*)}?");

  private EnvReferences() {}

  /** A reference that cannot be resolved, with where it stands in the tree. */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /**
   * A copy of {@code tree} with every reference replaced.
   *
   * @param env looks a variable up; null when it is not set ({@code System::getenv} in production)
   * @throws UnresolvedException naming every variable that is not set, and where it is used
   */
  public static JsonNode resolve(JsonNode tree, Function<String, String> env) {
    Objects.requireNonNull(env, "env");
    List<Problem> problems = new ArrayList<>();
    JsonNode out = resolve(tree, "", env, problems);
    if (!problems.isEmpty()) {
      throw new UnresolvedException(problems);
    }
    return out;
  }

  private static JsonNode resolve(
      JsonNode node, String path, Function<String, String> env, List<Problem> problems) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      String text = node.textValue();
      return text.contains("${") ? TextNode.valueOf(text(text, path, env, problems)) : node;
    }
    if (node.isObject()) {
      ObjectNode copy = Json.mapper().createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        copy.set(e.getKey(), resolve(e.getValue(), child, env, problems));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Json.mapper().createArrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(resolve(node.get(i), path + "[" + i + "]", env, problems));
      }
      return copy;
    }
    return node;
  }

  private static String text(
      String text, String path, Function<String, String> env, List<Problem> problems) {
    Matcher m = REF.matcher(text);
    StringBuilder sb = new StringBuilder();
    Set<String> missing = new LinkedHashSet<>();
    while (m.find()) {
      String ref = m.group();
      String replacement;
      if (ref.startsWith("$$")) {
        replacement = ref.substring(1);
      } else if (m.group(1) == null) {
        problems.add(
            new Problem(
                path, "'" + ref + "' is not a reference: write ${env:NAME} (letters, digits, _)"));
        replacement = ref;
      } else {
        String value = env.apply(m.group(1));
        if (value == null) {
          missing.add(m.group(1));
          replacement = ref;
        } else {
          replacement = value;
        }
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    for (String name : missing) {
      problems.add(new Problem(path, "the environment variable " + name + " is not set"));
    }
    return sb.toString();
  }

  /** Some references could not be resolved. */
  public static final class UnresolvedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    UnresolvedException(List<Problem> problems) {
      super(String.join("; ", problems.stream().map(Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    /** Every unresolved reference. */
    public List<Problem> problems() {
      return problems;
    }
  }
}
