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
      // the credentials end at the last '@' before the query: a password may hold a raw '/', '@'
      // or ':' that java.net.URI would read as the path or the host
      int from = u.indexOf("://") + 3;
      int query = u.indexOf('?', from);
      int at = u.lastIndexOf('@', query < 0 ? u.length() : query);
      Optional<String> user = Optional.empty();
      Optional<String> pass = Optional.empty();
      String hostPart = u.substring(at < from ? from : at + 1);
      if (at >= from) {
        String info = u.substring(from, at);
        int colon = info.indexOf(':');
        user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
        if (colon >= 0) {
          pass = Optional.of(decode(info.substring(colon + 1)));
        }
      }
      try {
        URI uri = new URI("postgres://" + hostPart);
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("database URL has no host: " + redact(u));
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
        throw new IllegalArgumentException("malformed database URL: " + redact(u));
      }
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + redact(u)
            + "'; expected jdbc:sqlite:FILE, jdbc:postgresql://… or postgres://user:pass@host:port/db");
  }

  /** Percent-decoding as in a URL's user info: a '+' is a plus, not a space. */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * The URL with any password replaced, for messages and logs. The user info runs to the last '@'
   * before the query, so a password holding a raw '/', '@' or ':' is hidden whole.
   */
  static String redact(String url) {
    String u = url;
    int from = u.indexOf("://");
    if (from >= 0) {
      from += 3;
      int query = u.indexOf('?', from);
      int at = u.lastIndexOf('@', query < 0 ? u.length() : query);
      int colon = at > from ? u.indexOf(':', from) : -1;
      if (colon >= 0 && colon < at) {
        u = u.substring(0, colon + 1) + "****" + u.substring(at);
      }
    }
    return u.replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  @Override
  public String toString() {
    return redact(jdbcUrl) + user.map(x -> " as " + x).orElse("");
  }
}
