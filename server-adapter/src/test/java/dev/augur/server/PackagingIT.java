package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What Maven Central and embedding applications need of the built artifacts (run by failsafe after
 * {@code package}, when every library module's jars exist): a licence, the POM metadata, sources
 * and javadoc jars, module names, no logging configuration in a library jar, and the standalone
 * jar's contents.
 */
class PackagingIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("augur.version", "0.1.0-SNAPSHOT");

  /** Library modules: folder, artifact id, Automatic-Module-Name. */
  private static final List<String[]> LIBRARIES =
      List.of(
          new String[] {"core", "augur-core", "dev.augur.core"},
          new String[] {"charts", "augur-charts", "dev.augur.charts"},
          new String[] {"persistence", "augur-persistence", "dev.augur.persistence"},
          new String[] {"server-adapter", "augur-server", "dev.augur.server"});

  private static Path jar(String folder, String artifact, String classifier) {
    return ROOT.resolve(folder)
        .resolve("target")
        .resolve(
            artifact + "-" + VERSION + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
  }

  private static List<String> entries(Path jar) throws Exception {
    try (JarFile j = new JarFile(jar.toFile())) {
      return Collections.list(j.entries()).stream().map(e -> e.getName()).toList();
    }
  }

  @Test
  void theLicenceIsApache2() throws Exception {
    String licence = Files.readString(ROOT.resolve("LICENSE"));
    assertThat(licence).contains("Apache License").contains("Version 2.0, January 2004");
  }

  @Test
  void thePublishedPomsCarryTheMetadataCentralRequires() throws Exception {
    for (String pom : List.of("pom.xml", "bom/pom.xml")) {
      Document d =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(ROOT.resolve(pom).toFile());
      XPath x = XPathFactory.newInstance().newXPath();
      for (String path :
          List.of(
              "/project/name",
              "/project/description",
              "/project/url",
              "/project/licenses/license/name",
              "/project/licenses/license/url",
              "/project/developers/developer/name",
              "/project/scm/url",
              "/project/scm/connection")) {
        assertThat(x.evaluate(path, d)).as(pom + " " + path).isNotBlank();
      }
      assertThat(x.evaluate("/project/licenses/license/name", d)).isEqualTo("Apache-2.0");
    }
    Document parent =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ROOT.resolve("pom.xml").toFile());
    XPath x = XPathFactory.newInstance().newXPath();
    String release = "/project/profiles/profile[id='release']";
    assertThat(x.evaluate(release + "/activation", parent))
        .as("release is off by default")
        .isBlank();
    NodeList plugins =
        (NodeList) x.evaluate(release + "//plugin/artifactId", parent, XPathConstants.NODESET);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < plugins.getLength(); i++) {
      names.add(plugins.item(i).getTextContent());
    }
    assertThat(names).contains("maven-gpg-plugin", "central-publishing-maven-plugin");
  }

  @Test
  void everyLibraryHasSourcesJavadocAndAModuleName() throws Exception {
    for (String[] lib : LIBRARIES) {
      Path main = jar(lib[0], lib[1], "");
      assertThat(main).as(lib[1]).exists();
      try (JarFile j = new JarFile(main.toFile())) {
        assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
            .as(lib[1])
            .isEqualTo(lib[2]);
      }
      assertThat(entries(jar(lib[0], lib[1], "sources")))
          .as(lib[1] + " sources")
          .anyMatch(e -> e.endsWith(".java"));
      assertThat(entries(jar(lib[0], lib[1], "javadoc")))
          .as(lib[1] + " javadoc")
          .contains("index.html")
          .noneMatch(e -> e.contains("/internal/"));
    }
  }

  @Test
  void noLibraryJarCarriesALoggingConfiguration() throws Exception {
    for (String[] lib : LIBRARIES) {
      assertThat(entries(jar(lib[0], lib[1], "")))
          .as(lib[1])
          .noneMatch(
              e -> e.matches("(.*/)?logback(-test)?\\.xml|(.*/)?log4j2?\\.(xml|properties)"));
    }
  }

  @Test
  void theStandaloneJarHasItsLoggingTheDriversAndNoPdfOrGifExport() throws Exception {
    Path standalone = ROOT.resolve("server-adapter/target/augur-server.jar");
    List<String> e = entries(standalone);
    assertThat(e)
        .contains(
            "dev/augur/server/logback-text.xml",
            "dev/augur/server/logback-json.xml",
            "org/postgresql/Driver.class",
            "org/sqlite/JDBC.class")
        .noneMatch(n -> n.startsWith("org/apache/pdfbox/") || n.startsWith("de/rototor/"))
        .noneMatch(n -> n.startsWith("com/madgag/"))
        .noneMatch(n -> n.equals("logback.xml"));
    try (JarFile j = new JarFile(standalone.toFile())) {
      assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(Main.class.getName());
    }
  }
}
