package dev.augur.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code tools/test_augur_export.py} (the ColumnTransformer → model.json exporter's tests)
 * with Debian's Python 3, numpy and scikit-learn. Without them it is skipped with a message, or
 * fails when {@code CI=true} ({@code .ci/run} installs them).
 */
class AugurExportTest {
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

  private int run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("probe.txt").toFile())
            .start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
