package dev.augur.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.drift.ProfileWriter;
import dev.augur.core.model.ModelManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code tools/test_augur_export.py} (the ColumnTransformer → model.json exporter's tests)
 * with Debian's Python 3, numpy and scikit-learn. Without them it is skipped with a message, or
 * fails when {@code CI=true} ({@code .ci/run} installs them).
 */
class AugurExportTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final Path TOOLS = Path.of("..", "tools").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void theExportersOwnTestsPass() throws Exception {
    String python =
        Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    boolean ready = run(python, "-c", "import numpy, sklearn") == 0;
    if (!ready && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          python + " with numpy and scikit-learn is needed (.ci/run installs them)");
    }
    assumeTrue(ready, "skipped: " + python + " with numpy and scikit-learn is not installed");
    Path out = tmp.resolve("out.txt");
    Process p =
        new ProcessBuilder(python, TOOLS.resolve("test_augur_export.py").toString())
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the Python tests finish").isTrue();
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).containsPattern("Ran [1-9]\\d* tests").contains("\nOK");
  }

  /**
   * The exporter's {@code profile()} of the sample Titanic model's held-out rows equals what
   * Augur's {@code ProfileWriter} makes of the same CSV: the same bins, shares and null shares to
   * 1e-12.
   */
  @Test
  void theExportersProfileIsAugursProfile() throws Exception {
    String python =
        Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    boolean ready = run(python, "-c", "import numpy") == 0;
    if (!ready && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(python + " with numpy is needed (.ci/run installs it)");
    }
    assumeTrue(ready, "skipped: " + python + " with numpy is not installed");
    Path titanic = TOOLS.getParent().resolve("samples/models/titanic/1");
    Path csv = titanic.resolve("test.csv");
    Path out = tmp.resolve("py");
    String script =
        "import sys, json; sys.path.insert(0, sys.argv[1]); import augur_export as a;"
            + " m = json.load(open(sys.argv[2], encoding='utf-8'));"
            + " a.write_profile(sys.argv[4], a.profile(m, a.read_csv(sys.argv[3])))";
    assertThat(
            run(
                python,
                "-c",
                script,
                TOOLS.toString(),
                titanic.resolve("model.json").toString(),
                csv.toString(),
                out.toString()))
        .as(Files.readString(tmp.resolve("probe.txt")))
        .isZero();
    Map<String, Object> fromPython =
        JSON.readValue(
            out.resolve("profile.json").toFile(),
            new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    Map<String, Object> fromJava = ProfileWriter.fromCsv(ModelManifest.read(titanic), csv).toJson();
    assertThat(fromPython.keySet()).containsExactlyElementsOf(fromJava.keySet());
    same("profile", JSON.valueToTree(fromPython), JSON.valueToTree(fromJava));
  }

  /** Equal JSON trees, numbers to 1e-12, keys in the same order. */
  private static void same(String at, JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      assertThat(a.asDouble()).as(at).isCloseTo(b.asDouble(), within(1e-12));
      return;
    }
    assertThat(a.getNodeType()).as(at).isEqualTo(b.getNodeType());
    assertThat(a.size()).as(at).isEqualTo(b.size());
    if (a.isObject()) {
      List<String> ka = new ArrayList<>();
      List<String> kb = new ArrayList<>();
      a.fieldNames().forEachRemaining(ka::add);
      b.fieldNames().forEachRemaining(kb::add);
      assertThat(ka).as(at).containsExactlyElementsOf(kb);
      for (String k : ka) {
        same(at + "." + k, a.get(k), b.get(k));
      }
    } else if (a.isArray()) {
      for (int i = 0; i < a.size(); i++) {
        same(at + "[" + i + "]", a.get(i), b.get(i));
      }
    } else {
      assertThat(a).as(at).isEqualTo(b);
    }
  }

  private int run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("probe.txt").toFile())
            .start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
