package dev.augur.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced code block of a Markdown page, with the marker comment on the line just above its
 * fence (CONTRIBUTING.md, "Examples in the docs"):
 *
 * <pre>
 * &lt;!-- run --&gt;                         run it against the sample server
 * &lt;!-- run expect="survived" --&gt;       … and its output must contain that text
 * &lt;!-- run errors-ok --&gt;               … an HTTP error status does not fail it
 * &lt;!-- server --&gt;                      it starts the server the page's next blocks talk to
 * &lt;!-- not-run: needs Docker --&gt;       not run here; its syntax is checked
 * &lt;!-- given: Path dir; Observation o --&gt; (java) names the block uses without declaring them
 * </pre>
 */
record DocBlock(
    Path file, int line, String language, String code, Optional<Marker> marker, String where) {

  /** What a marker asks for. */
  enum Kind {
    RUN,
    SERVER,
    NOT_RUN,
    /** A Java block's undeclared names ({@code reason} holds their declarations). */
    GIVEN
  }

  /** A parsed marker comment. */
  record Marker(Kind kind, List<String> expect, boolean errorsOk, String reason) {}

  private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+|~~~+)\\s*([\\w+-]*).*$");
  private static final Pattern COMMENT = Pattern.compile("^\\s*<!--\\s*(.*?)\\s*-->\\s*$");
  private static final Pattern EXPECT = Pattern.compile("expect=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Languages whose blocks must carry a marker: the ones a reader pastes into a terminal. */
  static final List<String> EXECUTABLE = List.of("sh", "bash", "shell", "python", "py");

  boolean isShell() {
    return List.of("sh", "bash", "shell").contains(language);
  }

  boolean isPython() {
    return List.of("python", "py").contains(language);
  }

  boolean isJava() {
    return language.equals("java");
  }

  /** Whether its marker is one this block can take. */
  boolean markerFits() {
    return marker.isEmpty()
        || (isJava()
            ? marker.get().kind() == Kind.RUN || marker.get().kind() == Kind.GIVEN
            : needsMarker() && marker.get().kind() != Kind.GIVEN);
  }

  boolean needsMarker() {
    return EXECUTABLE.contains(language);
  }

  /** Every fenced block of a page, in order. */
  static List<DocBlock> read(Path file, Path root) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<DocBlock> out = new ArrayList<>();
    String rel = root.relativize(file).toString();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String fence = open.group(2);
      String indent = open.group(1);
      String lang = open.group(3).toLowerCase(Locale.ROOT);
      int start = i;
      StringBuilder code = new StringBuilder();
      i++;
      while (i < lines.size() && !lines.get(i).strip().startsWith(fence)) {
        String l = lines.get(i);
        code.append(l.startsWith(indent) ? l.substring(indent.length()) : l.strip()).append('\n');
        i++;
      }
      Optional<Marker> marker = Optional.empty();
      if (start > 0) {
        Matcher c = COMMENT.matcher(lines.get(start - 1));
        if (c.matches()) {
          marker = Optional.of(parse(c.group(1), rel + ":" + start));
        }
      }
      out.add(
          new DocBlock(file, start + 1, lang, code.toString(), marker, rel + ":" + (start + 1)));
    }
    return out;
  }

  /** Parses the text of a marker comment. Other comments (not starting with a keyword) are none. */
  static Marker parse(String text, String where) {
    if (text.startsWith("not-run")) {
      String reason = text.substring("not-run".length()).replaceFirst("^\\s*:?\\s*", "");
      if (reason.isBlank()) {
        throw new IllegalArgumentException(where + ": <!-- not-run: … --> needs a reason");
      }
      return new Marker(Kind.NOT_RUN, List.of(), false, reason);
    }
    if (text.startsWith("given:")) {
      String names = text.substring("given:".length()).strip();
      if (names.isBlank()) {
        throw new IllegalArgumentException(where + ": <!-- given: … --> needs declarations");
      }
      return new Marker(Kind.GIVEN, List.of(), false, names);
    }
    if (text.equals("server")) {
      return new Marker(Kind.SERVER, List.of(), false, "");
    }
    if (text.equals("run") || text.startsWith("run ")) {
      String rest = text.substring(3);
      List<String> expect = new ArrayList<>();
      Matcher m = EXPECT.matcher(rest);
      while (m.find()) {
        expect.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
      String left = EXPECT.matcher(rest).replaceAll("").strip();
      boolean errorsOk = false;
      for (String word : left.isEmpty() ? new String[0] : left.split("\\s+")) {
        if (word.equals("errors-ok")) {
          errorsOk = true;
        } else {
          throw new IllegalArgumentException(
              where + ": unknown word '" + word + "' in <!-- run … -->; see CONTRIBUTING.md");
        }
      }
      return new Marker(Kind.RUN, expect, errorsOk, "");
    }
    throw new IllegalArgumentException(
        where
            + ": the comment above this block is not a marker (<!-- run -->, <!-- server -->,"
            + " <!-- not-run: reason -->, <!-- given: … -->); see CONTRIBUTING.md");
  }
}
