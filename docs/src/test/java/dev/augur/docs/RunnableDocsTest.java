package dev.augur.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xml.sax.InputSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The examples of README.md and docs/*.md, run as written against the server the README starts
 * (CONTRIBUTING.md, "Examples in the docs", says how a block is marked). Pages run in order, README
 * first, each page's blocks top to bottom, so a block may use what an earlier block of its page
 * did.
 */
class RunnableDocsTest {
  private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(120);
  private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path JAR = ROOT.resolve("server-adapter/target/augur-server.jar");

  private static Path work;
  private static DocServer readmeServer;
  private static final List<Path> scratch = new ArrayList<>();

  @BeforeAll
  static void workspace() throws IOException {
    assertThat(ROOT.resolve("README.md")).as("the checkout's root").exists();
    if (!Files.exists(JAR)) {
      String msg = JAR + " is missing: run the docs test with `mvn verify` (it needs the package)";
      if (CI) {
        throw new AssertionError(msg);
      }
      System.err.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
    work = Shell.workspace(ROOT);
    scratch.add(work);
  }

  @AfterAll
  static void stop() throws Exception {
    if (readmeServer != null) {
      readmeServer.close();
    }
    for (Path dir : scratch) {
      Shell.delete(dir);
    }
  }

  /** README.md, then docs/*.md by name. */
  static Stream<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    pages.add(ROOT.resolve("CONTRIBUTING.md"));
    return pages.stream().filter(Files::exists);
  }

  @Test
  void everyBlockAReaderWouldPasteIsMarked() throws IOException {
    List<String> unmarked = new ArrayList<>();
    for (Path page : pages().toList()) {
      for (DocBlock b : DocBlock.read(page, ROOT)) {
        if (b.needsMarker() && b.marker().isEmpty()) {
          unmarked.add(b.where() + " (" + b.language() + ")");
        }
        if (!b.markerFits()) {
          unmarked.add(
              b.where()
                  + ": a marker that a "
                  + b.language()
                  + " block cannot take (CONTRIBUTING.md)");
        }
      }
    }
    assertThat(unmarked)
        .as(
            "shell and Python blocks need <!-- run -->, <!-- server --> or <!-- not-run: reason -->"
                + " on the line above the fence (CONTRIBUTING.md, \"Examples in the docs\")")
        .isEmpty();
  }

  @Test
  void blocksThatDoNotRunAreStillValid() throws Exception {
    List<String> problems = new ArrayList<>();
    ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    for (Path page : pages().toList()) {
      for (DocBlock b : DocBlock.read(page, ROOT)) {
        try {
          switch (b.language()) {
            case "json" -> json.readTree(b.code());
            case "yaml", "yml" -> new Yaml().loadAll(b.code()).forEach(doc -> {});
            case "xml" ->
                DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(new InputSource(new StringReader("<x>" + b.code() + "</x>")));
            default -> {
              if (b.marker().map(m -> m.kind() == DocBlock.Kind.NOT_RUN).orElse(false)) {
                syntax(b).ifPresent(problems::add);
              }
            }
          }
        } catch (Exception e) {
          problems.add(b.where() + " (" + b.language() + "): " + e.getMessage());
        }
      }
    }
    assertThat(problems).as("blocks with a syntax error").isEmpty();
  }

  /** {@code bash -n} for shell, a parse for Python. */
  private static Optional<String> syntax(DocBlock b) throws Exception {
    List<String> cmd;
    if (b.isShell()) {
      cmd = List.of("bash", "-n");
    } else if (b.isPython()) {
      cmd = List.of(python(), "-c", "import ast,sys; ast.parse(sys.stdin.read())");
    } else {
      return Optional.empty();
    }
    Path src = Files.createTempFile(work, "syntax-", ".txt");
    Files.writeString(src, b.code());
    String line =
        String.join(" ", cmd.stream().map(RunnableDocsTest::quote).toList())
            + " < "
            + quote(src.toString());
    Shell.Result r = Shell.run(List.of("sh", "-c", line), work, Map.of(), Duration.ofSeconds(30));
    Files.deleteIfExists(src);
    return r.exit() == 0
        ? Optional.empty()
        : Optional.of(b.where() + " (" + b.language() + "): " + r.stderr().strip());
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pages")
  void runnableBlocksWorkAsWritten(Path page) throws Exception {
    List<DocBlock> blocks = DocBlock.read(page, ROOT);
    // each page in a scratch folder of its own: what one page writes, another does not see
    Path dir = Shell.workspace(ROOT);
    scratch.add(dir);
    DocServer own = null;
    try {
      for (DocBlock b : blocks) {
        if (b.marker().isEmpty() || !b.needsMarker()) {
          continue;
        }
        DocBlock.Marker m = b.marker().get();
        switch (m.kind()) {
          case SERVER -> {
            if (page.getFileName().toString().equals("README.md") && readmeServer == null) {
              readmeServer = DocServer.start(b, dir);
            } else {
              if (own != null) {
                own.close();
              }
              own = DocServer.start(b, dir);
            }
          }
          case RUN -> run(b, m, own != null ? own : readmeServer(), dir);
          case NOT_RUN -> {}
        }
      }
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  /** The README's server, started from its first {@code <!-- server -->} block. */
  private static DocServer readmeServer() throws Exception {
    if (readmeServer == null) {
      DocBlock first =
          DocBlock.read(ROOT.resolve("README.md"), ROOT).stream()
              .filter(b -> b.marker().map(m -> m.kind() == DocBlock.Kind.SERVER).orElse(false))
              .findFirst()
              .orElseThrow(() -> new AssertionError("README.md has no <!-- server --> block"));
      readmeServer = DocServer.start(first, work); // pages without a server of their own
    }
    return readmeServer;
  }

  private static void run(DocBlock b, DocBlock.Marker m, DocServer server, Path dir)
      throws Exception {
    Path script = Files.createTempFile(dir, "block-", b.isPython() ? ".py" : ".sh");
    List<String> cmd;
    if (b.isPython()) {
      Files.writeString(script, server.address(b.code()));
      assumeRequests();
      cmd = List.of(python(), script.toString());
    } else {
      // an HTTP error status fails the block (curl's exit code 22) unless the marker allows it
      String curl =
          m.errorsOk()
              ? "curl() { command curl --show-error --max-time 60 \"$@\"; }\n"
              : "curl() { command curl --fail-with-body --show-error --max-time 60 \"$@\"; }\n";
      Files.writeString(
          script, "set -euo pipefail\n" + curl + server.address(DocServer.withoutMaven(b.code())));
      cmd = List.of("bash", script.toString());
    }
    Shell.Result r = Shell.run(cmd, dir, Map.of(), BLOCK_TIMEOUT);
    Files.deleteIfExists(script);
    String shown =
        "\n--- block ("
            + b.where()
            + ") ---\n"
            + b.code()
            + "--- stdout ---\n"
            + r.stdout()
            + "--- stderr ---\n"
            + r.stderr()
            + "--- server log (the end) ---\n"
            + server.log();
    assertThat(r.timedOut()).as(b.where() + " ran over " + BLOCK_TIMEOUT + shown).isFalse();
    assertThat(r.exit()).as(b.where() + " failed" + shown).isZero();
    for (String e : m.expect()) {
      assertThat(r.stdout()).as(b.where() + " should print " + e + shown).contains(e);
    }
  }

  /** Debian's Python when there is one (its python3-requests is what .ci/run installs). */
  private static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  private static void assumeRequests() throws Exception {
    Shell.Result r =
        Shell.run(
            List.of(python(), "-c", "import requests"), work, Map.of(), Duration.ofSeconds(30));
    if (r.exit() != 0) {
      String msg = python() + " has no requests module (Debian: apt-get install python3-requests)";
      if (CI) {
        throw new AssertionError(msg);
      }
      System.err.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
  }
}
