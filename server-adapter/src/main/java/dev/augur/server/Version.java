package dev.augur.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Build facts, filtered into {@code version.properties} by Maven. */
final class Version {
  static final String VALUE;
  static final String SWAGGER_UI;

  static {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    VALUE = p.getProperty("version", "dev");
    SWAGGER_UI = p.getProperty("swagger-ui", "5.18.2");
  }

  private Version() {}
}
