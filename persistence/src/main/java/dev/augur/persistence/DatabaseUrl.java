package dev.augur.persistence;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A database location: a JDBC URL plus optional credentials, read from either a {@code jdbc:} URL
 * or the {@code postgres://user:pass@host:port/db} form that Heroku, Railway and Cloud Run give.
 */
record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

  static DatabaseUrl parse(String url) {
    String u = url.trim();
    if (u.startsWith("jdbc:")) {
      return new DatabaseUrl(u, Optional.empty(), Optional.empty());
    }
    if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
      try {
        URI uri = new URI(u);
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("database URL has no host: " + redact(u));
        }
        Optional<String> user = Optional.empty();
        Optional<String> pass = Optional.empty();
        if (uri.getRawUserInfo() != null) {
          String[] parts = uri.getRawUserInfo().split(":", 2);
          user = Optional.of(decode(parts[0]));
          if (parts.length == 2) {
            pass = Optional.of(decode(parts[1]));
          }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String db =
            uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        String jdbc =
            "jdbc:postgresql://"
                + uri.getHost()
                + ":"
                + port
                + "/"
                + db
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, pass);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("malformed database URL: " + redact(u), e);
      }
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + redact(u)
            + "'; expected jdbc:sqlite:FILE, jdbc:postgresql://… or postgres://user:pass@host:port/db");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced, for messages and logs. */
  static String redact(String url) {
    return url.replaceAll("(://[^:/@]+:)[^@/]*@", "$1****@")
        .replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  @Override
  public String toString() {
    return redact(jdbcUrl) + user.map(x -> " as " + x).orElse("");
  }
}
