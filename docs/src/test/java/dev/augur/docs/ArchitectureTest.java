package dev.augur.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md that plain text can check, over every module's sources (main
 * and test): the grep that page gives, as a test.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final List<String> MODULES =
      List.of("core", "charts", "persistence", "server-adapter", "samples", "docs");

  /** An import of, or a qualified name in, core's internal package. */
  private static final Pattern CORE_INTERNAL =
      Pattern.compile("dev\\.augur\\.core\\.internal\\.\\w");

  @Test
  void noFileOutsideCoreUsesCoreInternal() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (String module : MODULES) {
      if (module.equals("core")) {
        continue;
      }
      for (Path f : javaFiles(module)) {
        if (CORE_INTERNAL.matcher(Files.readString(f)).find()) {
          offenders.add(ROOT.relativize(f).toString());
        }
      }
    }
    assertThat(offenders).as("files outside core that use dev.augur.core.internal").isEmpty();
  }

  @Test
  void everySuppressedWarningSaysWhy() throws IOException {
    List<String> bare = new ArrayList<>();
    for (String module : MODULES) {
      for (Path f : javaFiles(module)) {
        if (!f.toString().contains("/src/main/")) {
          continue;
        }
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (!line.contains("@SuppressWarnings")) {
            continue;
          }
          boolean commented =
              line.contains("//") || (i > 0 && lines.get(i - 1).trim().startsWith("//"));
          if (!commented) {
            bare.add(ROOT.relativize(f) + ":" + (i + 1));
          }
        }
      }
    }
    assertThat(bare).as("@SuppressWarnings without a comment on or just above it").isEmpty();
  }

  @Test
  void theChecksSeeTheSources() throws IOException {
    assertThat(javaFiles("core")).hasSizeGreaterThan(50);
    assertThat(javaFiles("server-adapter")).hasSizeGreaterThan(10);
  }

  private static List<Path> javaFiles(String module) throws IOException {
    Path src = ROOT.resolve(module).resolve("src");
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(src)) {
      return s.filter(p -> p.toString().endsWith(".java")).toList();
    }
  }
}
