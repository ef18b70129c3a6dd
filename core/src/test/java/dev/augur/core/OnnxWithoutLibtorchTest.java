package dev.augur.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.testing.Fixtures;
import dev.augur.core.testing.OnnxOnlyMain;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that depends on augur-core and the ONNX Runtime engine only predicts with an ONNX
 * package: a child JVM whose classpath is this module's without any PyTorch artifact. Offline, with
 * an empty DJL cache and its own temporary folder, it shows that ONNX Runtime's native library
 * comes out of the Maven jar and nothing is downloaded.
 */
class OnnxWithoutLibtorchTest {
  @TempDir Path tmp;

  @Test
  void predictsWithCoreAndOnnxRuntimeAloneFromTheJarsNatives() throws Exception {
    String cp = testClassPath();
    String withoutTorch =
        Arrays.stream(cp.split(File.pathSeparator))
            .filter(e -> !e.contains("pytorch"))
            .collect(Collectors.joining(File.pathSeparator));
    assertThat(withoutTorch).contains("onnxruntime").doesNotContain("pytorch");
    Path cache = Files.createDirectories(tmp.resolve("djl-cache"));
    Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path out = tmp.resolve("out.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-DDJL_CACHE_DIR=" + cache,
                "-Djava.io.tmpdir=" + javaTmp,
                "-Duser.home=" + tmp,
                "-Dlogback.configurationFile=" + logbackTest(),
                "-cp",
                withoutTorch,
                OnnxOnlyMain.class.getName(),
                Fixtures.model("onnx_logreg_binary").toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log)
        .contains("pytorch engine absent")
        .contains("prediction {label=died")
        .containsPattern("onnxruntime from file:.*/com/microsoft/onnxruntime/onnxruntime/");
    // the native library was unpacked from that jar into the child's temporary folder (ONNX
    // Runtime deletes the file once loaded and leaves its folder) ...
    try (Stream<Path> s = Files.list(javaTmp)) {
      assertThat(s.map(f -> f.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("onnxruntime-java"));
    }
    // ... and nothing went to DJL's download cache
    try (Stream<Path> s = Files.walk(cache)) {
      assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  /** This JVM's test classpath (surefire hands it over in a manifest-only jar). */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null ? cp : System.getProperty("java.class.path");
  }

  private static String logbackTest() {
    List<String> candidates = List.of("src/test/resources/logback-test.xml");
    return candidates.stream()
        .map(Path::of)
        .filter(Files::isRegularFile)
        .map(f -> f.toAbsolutePath().toString())
        .findFirst()
        .orElse("logback-test.xml");
  }
}
