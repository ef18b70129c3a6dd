package dev.augur.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test fixtures made by {@code core/src/test/python/make_fixtures.py} (TorchScript) and {@code
 * make_engine_fixtures.py} (ONNX, output selection, broken packages), as real folders (copied out
 * of the test jar when other modules use them).
 */
public final class Fixtures {
  private static Path root;

  private Fixtures() {}

  /** The folder holding {@code models/} and {@code reference/}. */
  public static synchronized Path root() {
    if (root == null) {
      root = locate();
    }
    return root;
  }

  /** The model repository folder of every fixture model. */
  public static Path models() {
    return root().resolve("models");
  }

  /** The version folder of one fixture model. */
  public static Path model(String name) {
    return models().resolve(name).resolve("1");
  }

  /**
   * The version folder of a package that must fail to load ({@code fixtures/broken/NAME/1}: {@code
   * state_dict}, {@code checkpoint}, {@code opset_too_new}, {@code zipmap}, {@code two_inputs}).
   */
  public static Path broken(String name) {
    return root().resolve("broken").resolve(name).resolve("1");
  }

  /**
   * A copy of one fixture model's version folder in {@code dir/NAME/1} with its {@code model.json}
   * edited: each pair of {@code edits} replaces its first string by its second.
   */
  public static Path editedCopy(Path dir, String name, String... edits) {
    Path version = repositoryOf(dir, name).resolve(name).resolve("1");
    try {
      Path manifest = version.resolve("model.json");
      String json = Files.readString(manifest);
      for (int i = 0; i + 1 < edits.length; i += 2) {
        if (!json.contains(edits[i])) {
          throw new IllegalArgumentException(name + "/1/model.json has no " + edits[i]);
        }
        json = json.replace(edits[i], edits[i + 1]);
      }
      Files.writeString(manifest, json);
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A CSV data source named {@code stocks} over a slice of the real SPI sector indices (symbols
   * SPI, FINA, HLTH; the last 60 business days to 2008-10-17), from the test resources.
   */
  public static dev.augur.core.source.CsvDataSource stocks() {
    return dev.augur.core.source.CsvDataSource.builder("stocks")
        .resource("sources/spi_slice.csv")
        .key("symbol")
        .time("date")
        .value("close")
        .build();
  }

  /** A fresh model repository in {@code dir} holding copies of only the named fixture models. */
  public static Path repositoryOf(Path dir, String... names) {
    try {
      for (String n : names) {
        copyTree(models().resolve(n), dir.resolve(n));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path locate() {
    URL url = Fixtures.class.getResource("/fixtures/models");
    if (url == null) {
      throw new IllegalStateException(
          "test fixtures not on the classpath: run core/src/test/python/make_fixtures.py");
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("file")) {
        return Path.of(uri).getParent();
      }
      FileSystem fs;
      try {
        fs = FileSystems.newFileSystem(uri, Map.of());
      } catch (FileSystemAlreadyExistsException e) {
        fs = FileSystems.getFileSystem(uri);
      }
      Path inJar = fs.getPath("/fixtures");
      Path tmp = Files.createTempDirectory("augur-fixtures");
      copyTree(inJar, tmp);
      return tmp;
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read test fixtures", e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.toList();
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        try (InputStream in = Files.newInputStream(p)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
