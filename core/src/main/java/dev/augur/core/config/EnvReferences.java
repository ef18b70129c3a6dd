package dev.augur.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *
 * <p>The tree is made of plain values, as a JSON library reads them into Java objects: {@link
 * String}, {@link Number}, {@link Boolean}, {@code null}, {@link List} and {@link Map} with string
 * keys. Stateless and thread-safe.
 *
 * <pre>{@code
 * Object resolved = EnvReferences.resolve(Map.of("url", "https://x/?key=${env:KEY}"), System::getenv);
 * }</pre>
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
   * A copy of {@code tree} with every reference replaced: maps and lists are copied (keeping their
   * order), strings resolved, every other value kept as it is.
   *
   * @param tree plain JSON values; may be null
   * @param env looks a variable up; null when it is not set ({@code System::getenv} in production)
   * @throws UnresolvedException naming every variable that is not set, and where it is used
   */
  public static Object resolve(Object tree, Function<String, String> env) {
    Objects.requireNonNull(env, "env");
    List<Problem> problems = new ArrayList<>();
    Object out = resolve(tree, "", env, problems);
    if (!problems.isEmpty()) {
      throw new UnresolvedException(problems);
    }
    return out;
  }

  private static Object resolve(
      Object node, String path, Function<String, String> env, List<Problem> problems) {
    if (node instanceof String text) {
      return text.contains("${") ? text(text, path, env, problems) : text;
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        String child = path.isEmpty() ? key : path + "." + key;
        copy.put(key, resolve(e.getValue(), child, env, problems));
      }
      return copy;
    }
    if (node instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(resolve(list.get(i), path + "[" + i + "]", env, problems));
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
