package dev.augur.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java examples of README.md and docs/*.md, compiled against the library as it is, and the ones
 * marked {@code <!-- run -->} run in a JVM of their own from a scratch folder that shows the
 * checkout, as a reader at the root of a clone would (CONTRIBUTING.md, "Examples in the docs").
 *
 * <p>A block is a fragment of statements; it sees the public packages of Augur and the usual JDK
 * ones. Names it uses without declaring them are declared by a {@code <!-- given: Type name; … -->}
 * marker, which makes the block compile-only.
 */
class JavaSnippetsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern CLASS_PATH_FILE = Pattern.compile("\\S.*");

  /** What every block may use without importing it. */
  static final List<String> IMPORTS =
      List.of(
          "dev.augur.core.*",
          "dev.augur.core.batch.*",
          "dev.augur.core.chart.*",
          "dev.augur.core.drift.*",
          "dev.augur.core.history.*",
          "dev.augur.core.model.*",
          "dev.augur.core.schema.*",
          "dev.augur.core.source.*",
          "dev.augur.charts.*",
          "dev.augur.persistence.*",
          "dev.augur.server.*",
          "java.io.*",
          "java.nio.file.*",
          "java.time.*",
          "java.util.*",
          "com.fasterxml.jackson.databind.ObjectMapper",
          "io.micrometer.prometheusmetrics.PrometheusConfig",
          "io.micrometer.prometheusmetrics.PrometheusMeterRegistry");

  private static Path work;
  private static String classPath;

  @BeforeAll
  static void setUp() throws IOException {
    work = Shell.workspace(ROOT);
    // the test class path, written by the dependency plugin (surefire's own is a manifest jar)
    Path cp = Path.of("target/test-classpath.txt");
    assertThat(cp).as("written by maven-dependency-plugin:build-classpath").exists();
    classPath = Files.readString(cp).strip();
    Matcher m = CLASS_PATH_FILE.matcher(classPath);
    assertThat(m.matches()).as("a class path in " + cp).isTrue();
  }

  @AfterAll
  static void tearDown() throws IOException {
    Shell.delete(work);
  }

  /** Every {@code java} block of the pages, in order. */
  static Stream<Named<DocBlock>> javaBlocks() throws IOException {
    List<Named<DocBlock>> out = new ArrayList<>();
    for (Path page : RunnableDocsTest.pages().toList()) {
      for (DocBlock b : DocBlock.read(page, ROOT)) {
        if (b.isJava()) {
          out.add(Named.of(b.where(), b));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javaBlocks")
  void compilesAndRunsWhereMarked(DocBlock block) throws Exception {
    String cls = "Snippet" + Math.abs(block.where().hashCode());
    Path dir = Files.createTempDirectory(work, "java-");
    Path src = dir.resolve(cls + ".java");
    Files.writeString(src, source(block, cls));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok;
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of("-classpath", classPath, "-d", dir.toString(), "-proc:none"),
                  null,
                  files.getJavaFileObjects(src))
              .call();
    }
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        long line = d.getLineNumber() - headerLines(block);
        errors.add("block line " + line + ": " + d.getMessage(null));
      }
    }
    assertThat(ok).as(block.where() + " does not compile:\n" + String.join("\n", errors)).isTrue();

    Optional<DocBlock.Marker> marker = block.marker();
    if (marker.isPresent() && marker.get().kind() == DocBlock.Kind.RUN) {
      String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          List.of(
              launcher,
              "-Djava.awt.headless=true",
              "-Dai.djl.offline=true",
              "-cp",
              dir + java.io.File.pathSeparator + classPath,
              cls);
      Shell.Result r = Shell.run(cmd, work, Map.of("DJL_OFFLINE", "true"), RUN_TIMEOUT);
      String shown =
          "\n--- block ("
              + block.where()
              + ") ---\n"
              + block.code()
              + "--- stdout ---\n"
              + r.stdout()
              + "--- stderr ---\n"
              + r.stderr();
      assertThat(r.timedOut()).as(block.where() + " ran over " + RUN_TIMEOUT + shown).isFalse();
      assertThat(r.exit()).as(block.where() + " failed" + shown).isZero();
      for (String e : marker.get().expect()) {
        assertThat(r.stdout()).as(block.where() + " should print " + e + shown).contains(e);
      }
    }
  }

  private static int headerLines(DocBlock block) {
    return IMPORTS.size() + 3 + given(block).size();
  }

  private static List<String> given(DocBlock block) {
    return block
        .marker()
        .filter(m -> m.kind() == DocBlock.Kind.GIVEN)
        .map(m -> List.of(m.reason().split("\\s*;\\s*")))
        .orElse(List.of())
        .stream()
        .filter(s -> !s.isBlank())
        .toList();
  }

  /** The block as the body of a method whose parameters are the block's given names. */
  private static String source(DocBlock block, String cls) {
    StringBuilder s = new StringBuilder();
    IMPORTS.forEach(i -> s.append("import ").append(i).append(";\n"));
    s.append("@SuppressWarnings(\"unused\")\n");
    s.append("public class ").append(cls).append(" {\n");
    s.append("  public static void main(String[] args) throws Exception {\n");
    for (String g : given(block)) {
      // compile-only: the given names are declared, never run
      s.append("    ").append(g).append(" = null;\n");
    }
    s.append(block.code());
    s.append("  }\n}\n");
    return s.toString();
  }
}
