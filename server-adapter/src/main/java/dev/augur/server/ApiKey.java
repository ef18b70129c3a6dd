package dev.augur.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The API key check (DESIGN "Access and limits"): 401 when the key is missing, 403 when wrong. */
final class ApiKey {
  /** The key's SHA-256, or null when the server has no key and every route is open. */
  private final byte[] hash;

  ApiKey(Optional<String> key) {
    this.hash = key.map(ApiKey::sha256).orElse(null);
  }

  /** Checks the request's key ({@code X-API-Key} or a bearer token) when one is configured. */
  void require(HttpServerExchange ex) {
    if (hash == null) {
      return;
    }
    String given = ex.getRequestHeaders().getFirst("X-API-Key");
    String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    }
    if (given == null || given.isEmpty()) {
      ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
      throw new HttpProblem(
          401,
          "Unauthorized",
          "this route needs the API key: Authorization: Bearer <key> or X-API-Key");
    }
    // hashing first makes the comparison constant-time whatever the lengths
    if (!MessageDigest.isEqual(hash, sha256(given))) {
      throw new HttpProblem(403, "Forbidden", "the API key is wrong");
    }
  }

  /** Whether the request carries the key (or none is needed); answers nothing itself. */
  boolean accepts(HttpServerExchange ex) {
    try {
      require(ex);
      return true;
    } catch (HttpProblem p) {
      return false;
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
